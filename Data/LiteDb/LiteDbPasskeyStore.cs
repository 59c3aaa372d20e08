using LiteDB;

namespace SliceAuth.Data.LiteDb;

/// <summary>
/// Passkeys and ceremony challenges in LiteDB. Every check-then-change (the account still there, the counter
/// moving forward, the challenge still live) is one serialised write, so concurrent requests run one after the
/// other and only the first finds what the rest wanted; the unique index on the credential id's hash decides
/// a registration race. Every lookup compares the credential id or challenge exactly once found.
/// </summary>
internal sealed class LiteDbPasskeyStore(LiteDbDatabase db) : IPasskeyStore
{
    public Task<IReadOnlyList<Passkey>> ListByAccountAsync(Guid accountId) => Task.FromResult<IReadOnlyList<Passkey>>(db.Read(d =>
        d.Passkeys.Find(p => p.AccountId == accountId).OrderBy(p => p.CreatedAt).ThenBy(p => p.Id).Select(p => p.ToPasskey()).ToList()));

    public Task<Passkey?> FindByCredentialIdAsync(byte[] credentialId) => Task.FromResult(db.Read(d => Exactly(d, credentialId)?.ToPasskey()));

    public Task<bool> TryAddAsync(Passkey passkey) => Task.FromResult(db.Write(d =>
    {
        // Serialised with DeleteAccountAsync: an account seen here is still there when the passkey is inserted.
        if (!d.Users.Exists(u => u.Id == passkey.AccountId)) return false;
        try
        {
            d.Passkeys.Insert(PasskeyDocument.From(passkey));
            return true;
        }
        catch (Exception e) when (LiteDbFaults.IsDuplicateKey(e))
        {
            return false; // the credential id (or, improbably, the passkey id) is taken
        }
    }));

    public Task<bool> DeleteAsync(Guid accountId, Guid passkeyId) => Task.FromResult(db.Write(d =>
        d.Passkeys.FindById(passkeyId) is { } found && found.AccountId == accountId && d.Passkeys.Delete(passkeyId)));

    public Task<bool> TryRecordUseAsync(Guid passkeyId, uint newSignCount, DateTime usedAt) => Task.FromResult(db.Write(d =>
    {
        if (d.Passkeys.FindById(passkeyId) is not { } found) return false;
        if (!(newSignCount > found.SignCount || (newSignCount == 0 && found.SignCount == 0))) return false;
        found.SignCount = newSignCount;
        found.LastUsedAt = usedAt;
        return d.Passkeys.Update(found);
    }));

    public Task AddChallengeAsync(WebAuthnChallenge challenge) =>
        Task.FromResult(db.Write(d => d.WebAuthnChallenges.Insert(ChallengeDocument.From(challenge))));

    public Task<WebAuthnChallenge?> TakeChallengeAsync(string challenge, WebAuthnCeremony ceremony, DateTime now) => Task.FromResult(db.Write(d =>
    {
        var key = ChallengeDocument.KeyOf(challenge);
        if (d.WebAuthnChallenges.FindById(key) is not { } found || !string.Equals(found.Challenge, challenge, StringComparison.Ordinal)
            || found.Ceremony != (int)ceremony || found.ExpiresAt <= now) return null;
        d.WebAuthnChallenges.Delete(key);
        return found.ToChallenge();
    }));

    public Task<int> DeleteExpiredChallengesAsync(DateTime now) =>
        Task.FromResult(db.Write(d => d.WebAuthnChallenges.DeleteMany(c => c.ExpiresAt <= now)));

    /// <summary>The passkey whose credential id is exactly this one, by its hash's index.</summary>
    private static PasskeyDocument? Exactly(LiteDbDatabase d, byte[] credentialId)
    {
        var key = PasskeyDocument.KeyOf(credentialId);
        return d.Passkeys.FindOne(Query.EQ(nameof(PasskeyDocument.CredentialKey), key)) is { } found && found.CredentialId.AsSpan().SequenceEqual(credentialId) ? found : null;
    }
}
