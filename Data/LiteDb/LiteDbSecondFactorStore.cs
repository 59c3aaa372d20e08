namespace SliceAuth.Data.LiteDb;

/// <summary>
/// The second factor in LiteDB: one document per account (secret, pending secret, last accepted step, recovery code
/// hashes) and the pending logins. Every write that checks something and then changes it runs as one serialised
/// transaction (<see cref="LiteDbDatabase.WriteTogether{T}"/>): of fifty requests presenting one code, the first
/// consumes it and the other forty-nine find it consumed.
/// </summary>
internal sealed class LiteDbSecondFactorStore(LiteDbDatabase db) : ISecondFactorStore
{
    public Task<SecondFactor?> FindAsync(Guid accountId) =>
        Task.FromResult(db.Read(d => d.SecondFactors.FindById(accountId)?.ToFactor()));

    // Serialised with DeleteAccountAsync: an account seen here is still there when the document is written.
    public Task<bool> SetPendingSecretAsync(Guid accountId, string protectedSecret) => Task.FromResult(db.Write(d =>
    {
        if (!d.Users.Exists(u => u.Id == accountId)) return false;
        var factor = d.SecondFactors.FindById(accountId) ?? new SecondFactorDocument { Id = accountId };
        if (factor.ProtectedSecret is not null) return false;
        factor.PendingSecret = protectedSecret;
        d.SecondFactors.Upsert(factor);
        return true;
    }));

    public Task<bool> EnableAsync(Guid accountId, Guid expectedStamp, Guid newStamp, string pendingSecret, long acceptedStep,
        IReadOnlyList<string> recoveryCodeHashes, string keepSessionHandle) => Task.FromResult(db.WriteTogether(d =>
    {
        if (LiteDbAccountStore.StillHolds(d, accountId, expectedStamp) is not { } account
            || d.SecondFactors.FindById(accountId) is not { ProtectedSecret: null } factor
            || !string.Equals(factor.PendingSecret, pendingSecret, StringComparison.Ordinal)) return false;
        factor.ProtectedSecret = pendingSecret;
        factor.PendingSecret = null;
        factor.LastAcceptedStep = acceptedStep;
        factor.RecoveryCodeHashes = [.. recoveryCodeHashes];
        d.SecondFactors.Update(factor);
        Restamp(d, account, newStamp, keepSessionHandle);
        return true;
    }));

    public Task<bool> ReplaceRecoveryCodesAsync(Guid accountId, Guid expectedStamp, Guid newStamp, SecondFactorProof proof,
        IReadOnlyList<string> recoveryCodeHashes, string keepSessionHandle) => Task.FromResult(db.WriteTogether(d =>
    {
        if (LiteDbAccountStore.StillHolds(d, accountId, expectedStamp) is not { } account
            || d.SecondFactors.FindById(accountId) is not { } factor
            || !factor.TryConsume(proof)) return false;
        factor.RecoveryCodeHashes = [.. recoveryCodeHashes];
        d.SecondFactors.Update(factor);
        Restamp(d, account, newStamp, keepSessionHandle);
        return true;
    }));

    public Task<bool> DisableAsync(Guid accountId, Guid expectedStamp, Guid newStamp, SecondFactorProof proof, string keepSessionHandle) =>
        Task.FromResult(db.WriteTogether(d =>
        {
            if (LiteDbAccountStore.StillHolds(d, accountId, expectedStamp) is not { } account
                || d.SecondFactors.FindById(accountId) is not { } factor
                || !factor.TryConsume(proof)) return false;
            d.SecondFactors.Delete(accountId); // the secret, any pending one and the recovery codes
            Restamp(d, account, newStamp, keepSessionHandle);
            return true;
        }));

    public Task AddPendingLoginAsync(PendingLogin pending)
    {
        db.Write(d => d.PendingLogins.Insert(pending));
        return Task.CompletedTask;
    }

    public Task<PendingLogin?> FindPendingLoginAsync(string id, DateTime now) => Task.FromResult(db.Read(d => Live(d, id, now)));

    public Task<bool> CompleteLoginAsync(string pendingId, DateTime now, SecondFactorProof proof, Session session) =>
        Task.FromResult(db.WriteTogether(d =>
        {
            if (Live(d, pendingId, now) is not { } pending
                || LiteDbAccountStore.StillHolds(d, pending.AccountId, pending.CredentialStamp) is null
                || d.SecondFactors.FindById(pending.AccountId) is not { } factor
                || !factor.TryConsume(proof)) return false;
            d.SecondFactors.Update(factor);
            d.PendingLogins.Delete(pending.Id);
            d.Sessions.Insert(session);
            return true;
        }));

    public Task<int> DeleteExpiredPendingLoginsAsync(DateTime now) =>
        Task.FromResult(db.Write(d => d.PendingLogins.DeleteMany(p => p.ExpiresAt <= now)));

    /// <summary>The factor changed: a new stamp, and every session of the account but the one that made the change ends.</summary>
    private static void Restamp(LiteDbDatabase d, User account, Guid newStamp, string keepSessionHandle)
    {
        account.CredentialStamp = newStamp;
        d.Users.Update(account);
        var accountId = account.Id;
        d.Sessions.DeleteMany(s => s.UserId == accountId && s.Handle != keepSessionHandle);
    }

    // LiteDB's index compares strings by culture, ignoring case and characters such as U+0000: only the exact id counts.
    private static PendingLogin? Live(LiteDbDatabase d, string id, DateTime now) =>
        d.PendingLogins.FindById(id) is { } pending && string.Equals(pending.Id, id, StringComparison.Ordinal)
        && pending.ExpiresAt > now ? pending : null;
}
