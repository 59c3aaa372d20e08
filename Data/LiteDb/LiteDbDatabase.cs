using LiteDB;

namespace SliceAuth.Data.LiteDb;

/// <summary>
/// The process's one LiteDB database, guarded by the data directory lock. Its jobs, one file each: opening
/// (<c>LiteDbDatabase.Opening.cs</c>), verifying (<see cref="LiteDbVerification"/>), durable writes and the
/// translation of engine errors (<c>LiteDbDatabase.Writes.cs</c>), recovery (<c>LiteDbDatabase.Recovery.cs</c>).
/// Only the stores in this folder use it; the rest of the product sees the interfaces in <c>Data/</c>.
/// </summary>
public sealed partial class LiteDbDatabase : IDisposable
{
    public const string FileName = "sliceauth.db";
    private const string UsersCollection = "users";
    private const string SessionsCollection = "sessions";
    private const string MetadataCollection = "metadata";
    private const string EmailTokensCollection = "email_tokens";
    private const string MailQuotaCollection = "mail_quota";
    private const string SecondFactorsCollection = "second_factors";
    private const string PendingLoginsCollection = "pending_logins";
    private const string PasskeysCollection = "passkeys";
    private const string WebAuthnChallengesCollection = "webauthn_challenges";

    /// <summary>A write that has not reached the log file by then counts as a storage fault.</summary>
    private static readonly TimeSpan WriterTimeout = TimeSpan.FromSeconds(10);

    private readonly DataDirectoryLock _lock;
    private readonly string _path;
    private volatile Opened _open;

    /// <param name="verifyUpToBytes">Read every document and index at start when the file is at most this big.</param>
    public LiteDbDatabase(string dataDirectory, long verifyUpToBytes = 0)
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

    public ILiteCollection<EmailToken> EmailTokens => _open.Db.GetCollection<EmailToken>(EmailTokensCollection);

    internal ILiteCollection<SecondFactorDocument> SecondFactors => _open.Db.GetCollection<SecondFactorDocument>(SecondFactorsCollection);

    public ILiteCollection<PendingLogin> PendingLogins => _open.Db.GetCollection<PendingLogin>(PendingLoginsCollection);

    internal ILiteCollection<MailQuotaWindow> MailQuota => _open.Db.GetCollection<MailQuotaWindow>(MailQuotaCollection);

    internal ILiteCollection<PasskeyDocument> Passkeys => _open.Db.GetCollection<PasskeyDocument>(PasskeysCollection);

    internal ILiteCollection<ChallengeDocument> WebAuthnChallenges => _open.Db.GetCollection<ChallengeDocument>(WebAuthnChallengesCollection);

    /// <summary>Facts about the data itself, one document each, keyed by name (the pepper's fingerprint, the
    /// Unicode data the look-alike keys were computed with).</summary>
    public ILiteCollection<BsonDocument> Metadata => _open.Db.GetCollection(MetadataCollection);

    public void Dispose()
    {
        _open.Db.Dispose();
        _lock.Dispose();
    }
}
