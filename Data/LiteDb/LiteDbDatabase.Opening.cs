using LiteDB;

namespace SliceAuth.Data.LiteDb;

/// <summary>Opening the file: the connection, the indexes, the log writer barrier, and the data directory itself.</summary>
public sealed partial class LiteDbDatabase
{
    private static Opened Open(string path, bool verify)
    {
        // A cleanly closed file is verified read-only, so a damaged one is refused exactly as it was found.
        // After a crash (a log file is left) opening must replay the log anyway; verify the result then.
        var crashed = File.Exists(Path.ChangeExtension(path, null) + "-log.db");
        if (verify && !crashed)
        {
            using var readOnly = Connect(path, readOnly: true);
            LiteDbVerification.ReadEverything(readOnly);
        }

        var db = Connect(path, readOnly: false);
        try
        {
            if (verify && crashed) LiteDbVerification.ReadEverything(db);

            var users = db.GetCollection<User>(UsersCollection);
            users.EnsureIndex(u => u.UsernameKey, unique: true);
            users.EnsureIndex(u => u.EmailKey, unique: true);

            var sessions = db.GetCollection<Session>(SessionsCollection);
            sessions.EnsureIndex(s => s.Handle, unique: true);
            sessions.EnsureIndex(s => s.UserId);
            sessions.EnsureIndex(s => s.ExpiresAt);
            sessions.EnsureIndex(s => s.LastSeenAt);

            var tokens = db.GetCollection<EmailToken>(EmailTokensCollection);
            tokens.EnsureIndex(t => t.AccountId);
            tokens.EnsureIndex(t => t.ExpiresAt);

            db.GetCollection<MailQuotaWindow>(MailQuotaCollection).EnsureIndex(q => q.EndsAt);

            var pendingLogins = db.GetCollection<PendingLogin>(PendingLoginsCollection);
            pendingLogins.EnsureIndex(p => p.AccountId);
            pendingLogins.EnsureIndex(p => p.ExpiresAt);

            var passkeys = db.GetCollection<PasskeyDocument>(PasskeysCollection);
            // Named by a path: a lambda over a byte[] is read as a multikey index, which cannot be unique.
            passkeys.EnsureIndex(nameof(PasskeyDocument.CredentialKey), "$." + nameof(PasskeyDocument.CredentialKey), unique: true);
            passkeys.EnsureIndex(p => p.AccountId);

            var challenges = db.GetCollection<ChallengeDocument>(WebAuthnChallengesCollection);
            challenges.EnsureIndex(c => c.AccountId);
            challenges.EnsureIndex(c => c.ExpiresAt);

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
}
