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
        Directory.CreateDirectory(dataDirectory);
        _lock = DataDirectoryLock.Acquire(dataDirectory);
        try
        {
            _db = new LiteDatabase(new ConnectionString
            {
                Filename = Path.Combine(dataDirectory, FileName),
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
        catch
        {
            _db?.Dispose();
            _lock.Dispose();
            throw;
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
