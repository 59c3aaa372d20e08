using LiteDB;

namespace SliceAuth.Data.LiteDb;

/// <summary>
/// Recovery after a failed write: after one, LiteDB answers every later call with the same error until it is
/// reopened; the transaction that failed is not in the file. Reopening recovers once the cause (a full disk) is
/// gone; <see cref="LiteDbRecovery"/> calls <see cref="TryRecover"/> a few times a second while faulted.
/// </summary>
public sealed partial class LiteDbDatabase
{
    private readonly Lock _reopening = new();
    private volatile bool _faulted;

    /// <summary>Whether a write has failed (disk full, I/O error) and the database is being reopened.</summary>
    public bool IsFaulted => _faulted;

    public void ReportFault() => _faulted = true;

    /// <summary>Writes one small document: proves the file is open and writable (readiness).</summary>
    public void ProbeWrite() => Write(db => WriteProbe(db._open.Db));

    private static void WriteProbe(LiteDatabase db) =>
        db.GetCollection("health").Upsert(new BsonDocument { ["_id"] = 1, ["at"] = DateTime.UtcNow });

    /// <summary>Reopens the database if a fault was reported; true when it is usable again.</summary>
    public bool TryRecover()
    {
        if (!_faulted) return true;
        lock (_reopening)
        lock (_writing) // no write may be half-way through the instance being replaced
        {
            if (!_faulted) return true;
            if (!DirectoryTakesWrites()) return false;
            FailedDatabase.Release(_open.Db);
            Opened? reopened = null;
            try
            {
                reopened = Open(_path, verify: false);
                WriteProbe(reopened.Db);
                reopened.Barrier.Wait(WriterTimeout); // written, not only queued: the disk takes writes again
                _open = reopened;
                _faulted = false;
                return true;
            }
            catch (Exception e) when (e is IOException or LiteException or UnauthorizedAccessException)
            {
                if (reopened is not null) FailedDatabase.Release(reopened.Db);
                return false;
            }
        }
    }

    /// <summary>
    /// Whether the data directory takes a write now, tried with plain file I/O before LiteDB: when a fresh
    /// LiteDB engine's first write fails, its writer thread stays blocked for good, so reopening on a disk
    /// that is still full, a few times a second, would pile those threads up.
    /// </summary>
    private bool DirectoryTakesWrites()
    {
        var probe = Path.Combine(Path.GetDirectoryName(_path)!, "sliceauth.space-probe");
        try
        {
            using var file = new FileStream(probe, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose);
            file.Write(new byte[256 * 1024]); // room for a reopen and a few pages of log
            file.Flush(flushToDisk: true);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
