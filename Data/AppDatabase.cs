using LiteDB;

namespace SliceAuth.Data;

/// <summary>The process's one LiteDB database, guarded by the data directory lock.</summary>
public sealed class AppDatabase : IDisposable
{
    public const string FileName = "sliceauth.db";
    private const string UsersCollection = "users";
    private const string SessionsCollection = "sessions";
    private const string MetadataCollection = "metadata";

    /// <summary>A write that has not reached the log file by then counts as a storage fault.</summary>
    private static readonly TimeSpan WriterTimeout = TimeSpan.FromSeconds(10);

    private readonly DataDirectoryLock _lock;
    private readonly string _path;
    private readonly Lock _reopening = new();
    private readonly Lock _writing = new();
    private volatile Opened _open;
    private volatile bool _faulted;

    /// <param name="verifyUpToBytes">Read every document and index at start when the file is at most this big.</param>
    public AppDatabase(string dataDirectory, long verifyUpToBytes = 0)
    {
        CreateDirectory(dataDirectory);
        _lock = DataDirectoryLock.Acquire(dataDirectory);
        _path = Path.Combine(dataDirectory, FileName);
        try
        {
            var verify = File.Exists(_path) && new FileInfo(_path).Length <= verifyUpToBytes;
            _open = Open(_path, verify);
        }
        catch (Exception e)
        {
            _lock.Dispose();
            // LiteDB reports a damaged file as anything from LiteException to ArgumentOutOfRangeException.
            throw new StorageUnavailableException(
                $"The database '{_path}' cannot be opened ({e.GetType().Name}: {e.Message}). It may be damaged; it was " +
                "left as it is. Restore the data directory from a backup, or move the file away to start empty.", e);
        }
    }

    /// <summary>The open database and the barrier that waits for its log writer: replaced together on a reopen.</summary>
    private sealed record Opened(LiteDatabase Db, LogWriterBarrier Barrier);

    public ILiteCollection<User> Users => _open.Db.GetCollection<User>(UsersCollection);

    public ILiteCollection<Session> Sessions => _open.Db.GetCollection<Session>(SessionsCollection);

    /// <summary>Facts about the data itself, one document each, keyed by name (the pepper's fingerprint, the
    /// Unicode data the look-alike keys were computed with).</summary>
    public ILiteCollection<BsonDocument> Metadata => _open.Db.GetCollection(MetadataCollection);

    /// <summary>Whether a write has failed (disk full, I/O error) and the database is being reopened.</summary>
    public bool IsFaulted => _faulted;

    private static Opened Open(string path, bool verify)
    {
        // A cleanly closed file is verified read-only, so a damaged one is refused exactly as it was found.
        // After a crash (a log file is left) opening must replay the log anyway; verify the result then.
        var crashed = File.Exists(Path.ChangeExtension(path, null) + "-log.db");
        if (verify && !crashed)
        {
            using var readOnly = Connect(path, readOnly: true);
            ReadEverything(readOnly);
        }

        var db = Connect(path, readOnly: false);
        try
        {
            if (verify && crashed) ReadEverything(db);

            var users = db.GetCollection<User>(UsersCollection);
            users.EnsureIndex(u => u.UsernameKey, unique: true);
            users.EnsureIndex(u => u.EmailKey, unique: true);

            var sessions = db.GetCollection<Session>(SessionsCollection);
            sessions.EnsureIndex(s => s.Handle, unique: true);
            sessions.EnsureIndex(s => s.UserId);
            sessions.EnsureIndex(s => s.ExpiresAt);
            sessions.EnsureIndex(s => s.LastSeenAt);

            var opened = new Opened(db, new LogWriterBarrier(db));
            opened.Barrier.Wait(WriterTimeout); // the indexes, on a new file
            return opened;
        }
        catch
        {
            db.Dispose();
            throw;
        }
    }

    private static LiteDatabase Connect(string path, bool readOnly) =>
        new(new ConnectionString { Filename = path, Connection = ConnectionType.Direct, ReadOnly = readOnly }, new BsonMapper())
        {
            UtcDate = true,
        };

    /// <summary>
    /// LiteDB keeps no page checksums, so a damaged page shows only when read: read every document and walk
    /// every index now, rather than fail one user's login later.
    /// </summary>
    private static void ReadEverything(LiteDatabase db)
    {
        foreach (var name in db.GetCollectionNames())
        {
            var collection = db.GetCollection(name);
            foreach (var _ in collection.FindAll()) { }
            foreach (var index in db.GetCollection("$indexes").Find(Query.EQ("collection", name)))
                foreach (var _ in collection.Find(Query.All(index["name"].AsString))) { }
        }
    }

    /// <summary>
    /// Every write goes through here, one at a time, and returns once its pages are in the log file, so a
    /// write that returned survives a crash of the process, and a write the disk refused throws here, in
    /// the request that made it (see <see cref="LogWriterBarrier"/>). One at a time: LiteDB 5.0.20 allows
    /// concurrent writers, but a kill -9 test once left a data page it could no longer read ("get only index
    /// below highest index", LiteDB issue #2264) after concurrent session writes; writes here are short.
    /// </summary>
    public T Write<T>(Func<AppDatabase, T> write)
    {
        lock (_writing)
        {
            try
            {
                var result = write(this);
                _open.Barrier.Wait(WriterTimeout);
                return result;
            }
            catch (Exception e) when (IsStorageFault(e))
            {
                ReportFault(); // StorageRecovery reopens it
                throw;
            }
        }
    }

    /// <summary>
    /// A <see cref="Write{T}"/> whose changes commit together or not at all (one LiteDB transaction): for
    /// changes that belong together, such as a new password and the end of the account's sessions.
    /// LiteDB binds a transaction to its thread; the write runs synchronously on this one, under the lock.
    /// </summary>
    public T WriteTogether<T>(Func<AppDatabase, T> write) => Write(d =>
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

    public void Write(Action<AppDatabase> write) => Write(db =>
    {
        write(db);
        return true;
    });

    /// <summary>Writes one small document: proves the file is open and writable (readiness).</summary>
    public void ProbeWrite() => Write(db => WriteProbe(db._open.Db));

    private static void WriteProbe(LiteDatabase db) =>
        db.GetCollection("health").Upsert(new BsonDocument { ["_id"] = 1, ["at"] = DateTime.UtcNow });

    /// <summary>
    /// After a failed write LiteDB answers every later call with the same error until it is reopened; the
    /// transaction that failed is not in the file. Reopening recovers once the cause (a full disk) is gone.
    /// </summary>
    public void ReportFault() => _faulted = true;

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

    public static bool IsDuplicateKey(LiteException e) => e.ErrorCode == LiteException.INDEX_DUPLICATE_KEY;

    /// <summary>Whether an exception means the storage failed (as opposed to a bug or bad input).</summary>
    public static bool IsStorageFault(Exception e) => e switch
    {
        LiteException lite => !IsDuplicateKey(lite),
        ObjectDisposedException disposed => disposed.Source == "LiteDB", // a request that overlapped a reopen
        IOException => e is not BadHttpRequestException,
        _ => false,
    };

    private static void CreateDirectory(string dataDirectory)
    {
        try
        {
            Directory.CreateDirectory(dataDirectory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StorageUnavailableException(
                $"The data directory '{dataDirectory}' cannot be created ({e.Message}). " +
                "Create it with write access for SliceAuth or point Storage:DataDirectory elsewhere.", e);
        }
    }

    public void Dispose()
    {
        _open.Db.Dispose();
        _lock.Dispose();
    }
}
