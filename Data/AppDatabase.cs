using LiteDB;

namespace SliceAuth.Data;

/// <summary>The process's one LiteDB database, guarded by the data directory lock.</summary>
public sealed class AppDatabase : IDisposable
{
    public const string FileName = "sliceauth.db";

    private readonly DataDirectoryLock _lock;
    private readonly LiteDatabase _db;

    public AppDatabase(string dataDirectory)
    {
        CreateDirectory(dataDirectory);
        _lock = DataDirectoryLock.Acquire(dataDirectory);
        var path = Path.Combine(dataDirectory, FileName);
        try
        {
            _db = new LiteDatabase(new ConnectionString
            {
                Filename = path,
                Connection = ConnectionType.Direct,
            }, new BsonMapper());
            _db.UtcDate = true;

            Users = _db.GetCollection<User>("users");
            Users.EnsureIndex(u => u.UsernameKey, unique: true);
            Users.EnsureIndex(u => u.EmailKey, unique: true);

            Sessions = _db.GetCollection<Session>("sessions");
            Sessions.EnsureIndex(s => s.Handle, unique: true);
            Sessions.EnsureIndex(s => s.UserId);
            Sessions.EnsureIndex(s => s.ExpiresAt);
            Sessions.EnsureIndex(s => s.LastSeenAt);
        }
        catch (Exception e)
        {
            _db?.Dispose();
            _lock.Dispose();
            // LiteDB reports a damaged file as anything from LiteException to ArgumentOutOfRangeException.
            throw new StorageUnavailableException(
                $"The database '{path}' cannot be opened ({e.GetType().Name}: {e.Message}). It may be damaged; it was " +
                "left as it is. Restore the data directory from a backup, or move the file away to start empty.", e);
        }
    }

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

    public ILiteCollection<User> Users { get; }

    public ILiteCollection<Session> Sessions { get; }

    /// <summary>Writes one small document: proves the file is open and writable (readiness).</summary>
    public void ProbeWrite() => _db.GetCollection("health").Upsert(new BsonDocument { ["_id"] = 1, ["at"] = DateTime.UtcNow });

    public static bool IsDuplicateKey(LiteException e) => e.ErrorCode == LiteException.INDEX_DUPLICATE_KEY;

    public void Dispose()
    {
        _db.Dispose();
        _lock.Dispose();
    }
}
