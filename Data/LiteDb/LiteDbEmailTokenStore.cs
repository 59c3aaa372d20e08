namespace SliceAuth.Data.LiteDb;

/// <summary>
/// Mailed one-time tokens in LiteDB. A redemption reads the token and its account and writes every change it
/// makes in one serialised transaction (<see cref="LiteDbDatabase.WriteTogether{T}"/>): a second request with
/// the same token runs after the first committed and finds the token gone.
/// </summary>
internal sealed class LiteDbEmailTokenStore(LiteDbDatabase db) : IEmailTokenStore
{
    // Serialised with DeleteAccountAsync: an account seen here is still there when the token is inserted.
    public Task<bool> AddAsync(EmailToken token) => Task.FromResult(db.Write(d =>
    {
        if (!d.Users.Exists(u => u.Id == token.AccountId)) return false;
        d.EmailTokens.Insert(token);
        return true;
    }));

    public Task<EmailToken?> FindLiveAsync(string id, DateTime now, params EmailTokenPurpose[] purposes) =>
        Task.FromResult(db.Read(d => Live(d, id, now, purposes)));

    public Task<EmailRedemption> RedeemEmailTokenAsync(string id, DateTime now) => Task.FromResult(db.WriteTogether(d =>
    {
        if (Live(d, id, now, EmailTokenPurpose.VerifyEmail, EmailTokenPurpose.ChangeEmail) is not { } token
            || d.Users.FindById(token.AccountId) is not { } before) return EmailRedemption.Invalid;
        var account = d.Users.FindById(token.AccountId); // a second copy to change: `before` is returned as it was

        if (token.Purpose == EmailTokenPurpose.VerifyEmail)
        {
            if (account.EmailKey != token.EmailKey) return EmailRedemption.Invalid; // the address changed since
            account.EmailVerified = true;
            d.Users.Update(account);
            d.EmailTokens.Delete(token.Id);
            return new EmailRedemption(EmailRedemption.Outcome.Verified, token.Purpose, before);
        }

        if (account.CredentialStamp != token.CredentialStamp) return EmailRedemption.Invalid;
        // Writes are serialised: an account found holding the address still holds it at the update below.
        if (d.Users.Exists(u => u.EmailKey == token.EmailKey && u.Id != account.Id))
            return new EmailRedemption(EmailRedemption.Outcome.EmailTaken, token.Purpose, before);
        account.Email = token.Email;
        account.EmailKey = token.EmailKey;
        account.EmailVerified = true;
        d.Users.Update(account);
        DeleteTokensOf(d, account.Id, EmailTokenPurpose.VerifyEmail, EmailTokenPurpose.ChangeEmail); // this one included
        return new EmailRedemption(EmailRedemption.Outcome.Changed, token.Purpose, before);
    }));

    public Task<User?> RedeemResetTokenAsync(string id, DateTime now, string newHash, Guid newStamp) => Task.FromResult(db.WriteTogether(d =>
    {
        if (Live(d, id, now, EmailTokenPurpose.ResetPassword) is not { } token
            || LiteDbAccountStore.StillHolds(d, token.AccountId, token.CredentialStamp) is not { } before) return null;
        var account = d.Users.FindById(token.AccountId);
        account.PasswordHash = newHash;
        account.CredentialStamp = newStamp;
        d.Users.Update(account);
        d.Sessions.DeleteMany(s => s.UserId == account.Id);
        DeleteTokensOf(d, account.Id, EmailTokenPurpose.ResetPassword); // this one included
        return before;
    }));

    public Task<int> DeleteExpiredAsync(DateTime now) => Task.FromResult(db.Write(d => d.EmailTokens.DeleteMany(t => t.ExpiresAt <= now)));

    // LiteDB's index compares strings by culture, ignoring case and characters such as U+0000: only the exact id counts.
    private static EmailToken? Live(LiteDbDatabase d, string id, DateTime now, params EmailTokenPurpose[] purposes) =>
        d.EmailTokens.FindById(id) is { } token && string.Equals(token.Id, id, StringComparison.Ordinal)
        && token.ExpiresAt > now && purposes.Contains(token.Purpose) ? token : null;

    // By the AccountId index, the purposes filtered here: no enum in a LiteDB query (stored as its name).
    private static void DeleteTokensOf(LiteDbDatabase d, Guid accountId, params EmailTokenPurpose[] purposes)
    {
        foreach (var token in d.EmailTokens.Find(t => t.AccountId == accountId).Where(t => purposes.Contains(t.Purpose)).ToList())
            d.EmailTokens.Delete(token.Id);
    }
}
