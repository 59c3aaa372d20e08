namespace SliceAuth.Data.LiteDb;

/// <summary>
/// Durable writes, and where engine errors become <see cref="StorageUnavailableException"/>: every store in this
/// folder reads through <see cref="Read{T}"/> and writes through <see cref="Write{T}"/>.
/// </summary>
public sealed partial class LiteDbDatabase
{
    private readonly Lock _writing = new();

    /// <summary>A read; an engine fault is reported (recovery reopens the file) and translated.</summary>
    public T Read<T>(Func<LiteDbDatabase, T> read)
    {
        var used = _open;
        try
        {
            return read(this);
        }
        catch (Exception e) when (LiteDbFaults.IsEngineFault(e))
        {
            // Reads are not serialised with a reopen: one that used the instance just replaced fails, but
            // the new one is fine, so that is no reason to reopen again.
            if (ReferenceEquals(used, _open)) ReportFault();
            throw Translate(e);
        }
    }

    /// <summary>
    /// Every write goes through here, one at a time, and returns once its pages are in the log file, so a
    /// write that returned survives a crash of the process, and a write the disk refused throws here, in
    /// the request that made it (see <see cref="LogWriterBarrier"/>). One at a time: LiteDB 5.0.20 allows
    /// concurrent writers, but a kill -9 test once left a data page it could no longer read ("get only index
    /// below highest index", LiteDB issue #2264) after concurrent session writes; writes here are short.
    /// </summary>
    public T Write<T>(Func<LiteDbDatabase, T> write)
    {
        lock (_writing)
        {
            try
            {
                var result = write(this);
                _open.Barrier.Wait(WriterTimeout);
                return result;
            }
            catch (Exception e) when (LiteDbFaults.IsEngineFault(e))
            {
                throw Fault(e);
            }
        }
    }

    /// <summary>
    /// A <see cref="Write{T}"/> whose changes commit together or not at all (one LiteDB transaction): for
    /// changes that belong together, such as a new password and the end of the account's sessions.
    /// LiteDB binds a transaction to its thread; the write runs synchronously on this one, under the lock.
    /// </summary>
    public T WriteTogether<T>(Func<LiteDbDatabase, T> write) => Write(d =>
    {
        var db = d._open.Db;
        if (!db.BeginTrans()) throw new InvalidOperationException("A transaction was already open on this thread.");
        try
        {
            var result = write(d);
            db.Commit();
            return result;
        }
        catch
        {
            db.Rollback();
            throw;
        }
    });

    public void Write(Action<LiteDbDatabase> write) => Write(db =>
    {
        write(db);
        return true;
    });

    private StorageUnavailableException Fault(Exception e)
    {
        ReportFault(); // LiteDbRecovery reopens it
        return Translate(e);
    }

    private static StorageUnavailableException Translate(Exception e) =>
        e as StorageUnavailableException ?? new StorageUnavailableException($"The database failed ({e.GetType().Name}: {e.Message}).", e);
}
