namespace SliceAuth.Data.LiteDb;

/// <summary>
/// Accounts in LiteDB. The unique indexes on the name, look-alike and email keys decide a registration race;
/// the credential writes run as one serialised transaction that first re-reads the account's stamp.
/// </summary>
internal sealed class LiteDbAccountStore(LiteDbDatabase db) : IAccountStore
{
    public Task<User?> FindByUsernameKeyAsync(string usernameKey) =>
        Task.FromResult(db.Read(d => Exactly(d.Users.FindOne(u => u.UsernameKey == usernameKey), u => u.UsernameKey, usernameKey)));

    public Task<User?> FindByIdAsync(Guid id) => Task.FromResult<User?>(db.Read(d => d.Users.FindById(id)));

    public Task<User?> FindByEmailKeyAsync(string emailKey) =>
        Task.FromResult(db.Read(d => Exactly(d.Users.FindOne(u => u.EmailKey == emailKey), u => u.EmailKey, emailKey)));

    public Task<AddAccountResult> TryAddAsync(User user) => Task.FromResult(db.Write(d =>
    {
        try
        {
            d.Users.Insert(user);
            return AddAccountResult.Added;
        }
        catch (Exception e) when (LiteDbFaults.IsDuplicateKey(e))
        {
            // Writes are serialised: the account that holds the key is still there to be named.
            if (d.Users.Exists(u => u.UsernameKey == user.UsernameKey)) return AddAccountResult.UsernameTaken;
            if (user.UsernameLookalikeKey is { } lookalike && d.Users.Exists(u => u.UsernameLookalikeKey == lookalike))
                return AddAccountResult.LookalikeTaken;
            if (d.Users.Exists(u => u.EmailKey == user.EmailKey)) return AddAccountResult.EmailTaken;
            throw;
        }
    }));

    public Task<bool> SetPasswordHashAsync(Guid accountId, string passwordHash) => Task.FromResult(db.Write(d =>
    {
        if (d.Users.FindById(accountId) is not { } user) return false;
        user.PasswordHash = passwordHash;
        return d.Users.Update(user);
    }));

    public Task<bool> TryStartSessionAsync(Guid accountId, Guid expectedStamp, Session session, string? upgradedHash = null) =>
        Task.FromResult(db.WriteTogether(d =>
        {
            if (StillHolds(d, accountId, expectedStamp) is not { } current) return false;
            if (upgradedHash is not null)
            {
                current.PasswordHash = upgradedHash;
                d.Users.Update(current);
            }
            d.Sessions.Insert(session);
            return true;
        }));

    public Task<bool> ChangePasswordAsync(Guid accountId, Guid expectedStamp, string newHash, Guid newStamp, Session keepSession) =>
        Task.FromResult(db.WriteTogether(d =>
        {
            if (StillHolds(d, accountId, expectedStamp) is not { } current) return false;
            d.Sessions.DeleteMany(s => s.UserId == accountId);
            current.PasswordHash = newHash;
            current.CredentialStamp = newStamp;
            d.Users.Update(current);
            d.Sessions.Insert(keepSession);
            return true;
        }));

    public Task<bool> DeleteAccountAsync(Guid accountId, Guid expectedStamp) => Task.FromResult(db.WriteTogether(d =>
    {
        if (StillHolds(d, accountId, expectedStamp) is null) return false;
        d.Sessions.DeleteMany(s => s.UserId == accountId);
        d.EmailTokens.DeleteMany(t => t.AccountId == accountId);
        d.SecondFactors.Delete(accountId); // with its recovery codes
        d.PendingLogins.DeleteMany(p => p.AccountId == accountId);
        d.Passkeys.DeleteMany(p => p.AccountId == accountId);
        d.WebAuthnChallenges.DeleteMany(c => c.AccountId == accountId);
        d.Users.Delete(accountId);
        return true;
    }));

    /// <summary>
    /// The account found by an index only if its key is the one asked for, code point by code point: LiteDB's string
    /// index compares by culture and ignores U+0000, so "alice\0" would otherwise find alice.
    /// </summary>
    private static User? Exactly(User? found, Func<User, string> key, string wanted) =>
        found is not null && string.Equals(key(found), wanted, StringComparison.Ordinal) ? found : null;

    /// <summary>The account as it is now, if it still has the credentials that were verified.</summary>
    internal static User? StillHolds(LiteDbDatabase d, Guid accountId, Guid expectedStamp) =>
        d.Users.FindById(accountId) is { } current && current.CredentialStamp == expectedStamp ? current : null;
}
