using Npgsql;

namespace SliceAuth.Data.Postgres;

/// <summary>
/// Mailed one-time tokens in PostgreSQL. A redemption is one transaction that locks the account's row, then
/// the token's, and checks the token again under those locks before it changes anything: redemptions of one
/// token on any number of instances run one after the other, and only the first still finds it. The locks are
/// taken in the order an account deletion takes them (the account, then its tokens by cascade).
/// </summary>
internal sealed class PostgresEmailTokenStore(PostgresDatabase db) : IEmailTokenStore
{
    private const string Columns = "id, account_id, purpose, email, email_key, credential_stamp, created_at, expires_at";

    private static readonly EmailTokenPurpose[] EmailPurposes = [EmailTokenPurpose.VerifyEmail, EmailTokenPurpose.ChangeEmail];

    public async Task<bool> AddAsync(EmailToken token)
    {
        try
        {
            await db.ExecuteAsync($"INSERT INTO email_tokens ({Columns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                token.Id, token.AccountId, (short)token.Purpose, token.Email, token.EmailKey, token.CredentialStamp,
                PostgresAccountStore.Utc(token.CreatedAt), PostgresAccountStore.Utc(token.ExpiresAt));
            return true;
        }
        catch (PostgresException e) when (e.SqlState == PostgresFaults.ForeignKeyViolation)
        {
            return false; // the account was deleted
        }
    }

    public Task<EmailToken?> FindLiveAsync(string id, DateTime now, params EmailTokenPurpose[] purposes) =>
        db.RunAsync(connection => FindLiveAsync(connection, id, now, purposes, forUpdate: false));

    public async Task<EmailRedemption> RedeemEmailTokenAsync(string id, DateTime now)
    {
        EmailRedemption? taken = null;
        try
        {
            return await db.InTransactionAsync(async (connection, _) =>
            {
                if (await LockAsync(connection, id, now, EmailPurposes) is not (EmailToken token, User before)) return EmailRedemption.Invalid;
                if (token.Purpose == EmailTokenPurpose.VerifyEmail)
                {
                    if (before.EmailKey != token.EmailKey) return EmailRedemption.Invalid; // the address changed since
                    await ExecuteAsync(connection, "UPDATE users SET email_verified = true WHERE id = $1", before.Id);
                    await ExecuteAsync(connection, "DELETE FROM email_tokens WHERE id = $1", token.Id);
                    return new EmailRedemption(EmailRedemption.Outcome.Verified, token.Purpose, before);
                }

                if (before.CredentialStamp != token.CredentialStamp) return EmailRedemption.Invalid;
                taken = new EmailRedemption(EmailRedemption.Outcome.EmailTaken, token.Purpose, before);
                // The unique constraint decides a race with a registration or another change on any instance.
                await ExecuteAsync(connection, "UPDATE users SET email = $2, email_key = $3, email_verified = true WHERE id = $1",
                    before.Id, token.Email, token.EmailKey);
                await ExecuteAsync(connection, "DELETE FROM email_tokens WHERE account_id = $1 AND purpose = ANY($2)", // this one included
                    before.Id, Codes(EmailPurposes));
                return new EmailRedemption(EmailRedemption.Outcome.Changed, token.Purpose, before);
            });
        }
        catch (PostgresException e) when (taken is not null && e.SqlState == PostgresFaults.UniqueViolation && e.ConstraintName == "users_email_key_unique")
        {
            return taken; // the transaction was rolled back: nothing changed, the token kept
        }
    }

    public Task<User?> RedeemResetTokenAsync(string id, DateTime now, string newHash, Guid newStamp) =>
        db.InTransactionAsync<User?>(async (connection, _) =>
        {
            if (await LockAsync(connection, id, now, [EmailTokenPurpose.ResetPassword]) is not (EmailToken token, User before)
                || before.CredentialStamp != token.CredentialStamp) return null;
            await ExecuteAsync(connection, "UPDATE users SET password_hash = $2, credential_stamp = $3 WHERE id = $1", before.Id, newHash, newStamp);
            // Each deleted session notifies every instance's cache (the sessions_removed trigger), once this commits.
            await ExecuteAsync(connection, "DELETE FROM sessions WHERE user_id = $1", before.Id);
            await ExecuteAsync(connection, "DELETE FROM email_tokens WHERE account_id = $1 AND purpose = $2", // this one included
                before.Id, (short)EmailTokenPurpose.ResetPassword);
            return before;
        });

    public Task<int> DeleteExpiredAsync(DateTime now) =>
        db.ExecuteAsync("DELETE FROM email_tokens WHERE expires_at <= $1", PostgresAccountStore.Utc(now));

    /// <summary>
    /// Locks the token's account, then the token, and reads both; null when the token is not (or no longer)
    /// live with one of <paramref name="purposes"/>. The first read only finds the account to lock.
    /// </summary>
    private static async Task<(EmailToken Token, User Before)?> LockAsync(NpgsqlConnection connection, string id, DateTime now, EmailTokenPurpose[] purposes)
    {
        if (await FindLiveAsync(connection, id, now, purposes, forUpdate: false) is not { } seen) return null;
        await using (var select = PostgresDatabase.Command(connection, $"SELECT {PostgresAccountStore.Columns} FROM users WHERE id = $1 FOR UPDATE", seen.AccountId))
        await using (var reader = await select.ExecuteReaderAsync())
        {
            if (!await reader.ReadAsync()) return null;
            var before = PostgresAccountStore.ReadUser(reader);
            await reader.CloseAsync();
            // Again under the account's lock: a redemption that held it before may have consumed the token.
            return await FindLiveAsync(connection, id, now, purposes, forUpdate: true) is { } token ? (token, before) : null;
        }
    }

    private static async Task<EmailToken?> FindLiveAsync(NpgsqlConnection connection, string id, DateTime now, EmailTokenPurpose[] purposes, bool forUpdate)
    {
        if (PostgresDatabase.CannotBeStored(id)) return null; // no stored id holds U+0000
        await using var select = PostgresDatabase.Command(connection,
            $"SELECT {Columns} FROM email_tokens WHERE id = $1 AND expires_at > $2 AND purpose = ANY($3){(forUpdate ? " FOR UPDATE" : "")}",
            id, PostgresAccountStore.Utc(now), Codes(purposes));
        await using var reader = await select.ExecuteReaderAsync();
        if (!await reader.ReadAsync()) return null;
        return new EmailToken
        {
            Id = reader.GetString(0),
            AccountId = reader.GetGuid(1),
            Purpose = (EmailTokenPurpose)reader.GetInt16(2),
            Email = reader.GetString(3),
            EmailKey = reader.GetString(4),
            CredentialStamp = reader.GetGuid(5),
            CreatedAt = reader.GetDateTime(6),
            ExpiresAt = reader.GetDateTime(7),
        };
    }

    private static short[] Codes(EmailTokenPurpose[] purposes) => purposes.Select(p => (short)p).ToArray();

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, params object?[] values)
    {
        await using var command = PostgresDatabase.Command(connection, sql, values);
        await command.ExecuteNonQueryAsync();
    }
}
