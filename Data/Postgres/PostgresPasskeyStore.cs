using Npgsql;

namespace SliceAuth.Data.Postgres;

/// <summary>
/// Passkeys and ceremony challenges in PostgreSQL, each check-then-change one statement: the unique constraint on
/// the credential id decides a registration race, the counter moves in an UPDATE whose WHERE re-reads it under
/// the row's lock, and a challenge is taken by a DELETE ... RETURNING that names its ceremony and expiry. Of any
/// number of instances doing one of these at once, one changes the row and the rest find it changed or gone.
/// </summary>
internal sealed class PostgresPasskeyStore(PostgresDatabase db) : IPasskeyStore
{
    private const string Columns = "id, account_id, credential_id, public_key, sign_count, name, created_at, last_used_at";
    private const string ChallengeColumns = "challenge, ceremony, account_id, options_json, created_at, expires_at";

    public Task<IReadOnlyList<Passkey>> ListByAccountAsync(Guid accountId) => db.RunAsync<IReadOnlyList<Passkey>>(async connection =>
    {
        await using var select = PostgresDatabase.Command(connection,
            $"SELECT {Columns} FROM passkeys WHERE account_id = $1 ORDER BY created_at, id", accountId);
        await using var reader = await select.ExecuteReaderAsync();
        var passkeys = new List<Passkey>();
        while (await reader.ReadAsync()) passkeys.Add(ReadPasskey(reader));
        return passkeys;
    });

    public Task<Passkey?> FindByCredentialIdAsync(byte[] credentialId) => db.RunAsync(async connection =>
    {
        await using var select = PostgresDatabase.Command(connection, $"SELECT {Columns} FROM passkeys WHERE credential_id = $1", credentialId);
        await using var reader = await select.ExecuteReaderAsync();
        return await reader.ReadAsync() ? ReadPasskey(reader) : null;
    });

    public async Task<bool> TryAddAsync(Passkey passkey)
    {
        try
        {
            // DO NOTHING on either key: a credential id taken by any account (or, improbably, the passkey id).
            return await db.ExecuteAsync($"INSERT INTO passkeys ({Columns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING",
                passkey.Id, passkey.AccountId, passkey.CredentialId, passkey.PublicKey, (long)passkey.SignCount, passkey.Name,
                PostgresAccountStore.Utc(passkey.CreatedAt), passkey.LastUsedAt is { } used ? PostgresAccountStore.Utc(used) : null) > 0;
        }
        catch (PostgresException e) when (e.SqlState == PostgresFaults.ForeignKeyViolation)
        {
            return false; // the account was deleted
        }
    }

    public async Task<bool> DeleteAsync(Guid accountId, Guid passkeyId) =>
        await db.ExecuteAsync("DELETE FROM passkeys WHERE id = $1 AND account_id = $2", passkeyId, accountId) > 0;

    public async Task<bool> TryRecordUseAsync(Guid passkeyId, uint newSignCount, DateTime usedAt) =>
        // READ COMMITTED re-evaluates the WHERE on the row a concurrent update committed: the same count twice moves it once.
        await db.ExecuteAsync(
            "UPDATE passkeys SET sign_count = $2, last_used_at = $3 WHERE id = $1 AND (sign_count < $2 OR (sign_count = 0 AND $2 = 0))",
            passkeyId, (long)newSignCount, PostgresAccountStore.Utc(usedAt)) > 0;

    public async Task AddChallengeAsync(WebAuthnChallenge challenge) =>
        await db.ExecuteAsync($"INSERT INTO webauthn_challenges ({ChallengeColumns}) VALUES ($1, $2, $3, $4, $5, $6)",
            challenge.Challenge, (short)challenge.Ceremony, challenge.AccountId, challenge.OptionsJson,
            PostgresAccountStore.Utc(challenge.CreatedAt), PostgresAccountStore.Utc(challenge.ExpiresAt));

    public Task<WebAuthnChallenge?> TakeChallengeAsync(string challenge, WebAuthnCeremony ceremony, DateTime now)
    {
        if (PostgresDatabase.CannotBeStored(challenge)) return Task.FromResult<WebAuthnChallenge?>(null); // no stored challenge holds U+0000
        return db.RunAsync(async connection =>
        {
            await using var delete = PostgresDatabase.Command(connection,
                $"DELETE FROM webauthn_challenges WHERE challenge = $1 AND ceremony = $2 AND expires_at > $3 RETURNING {ChallengeColumns}",
                challenge, (short)ceremony, PostgresAccountStore.Utc(now));
            await using var reader = await delete.ExecuteReaderAsync();
            if (!await reader.ReadAsync()) return null;
            return new WebAuthnChallenge
            {
                Challenge = reader.GetString(0),
                Ceremony = (WebAuthnCeremony)reader.GetInt16(1),
                AccountId = reader.IsDBNull(2) ? null : reader.GetGuid(2),
                OptionsJson = reader.GetString(3),
                CreatedAt = reader.GetDateTime(4),
                ExpiresAt = reader.GetDateTime(5),
            };
        });
    }

    public Task<int> DeleteExpiredChallengesAsync(DateTime now) =>
        db.ExecuteAsync("DELETE FROM webauthn_challenges WHERE expires_at <= $1", PostgresAccountStore.Utc(now));

    private static Passkey ReadPasskey(NpgsqlDataReader reader) => new()
    {
        Id = reader.GetGuid(0),
        AccountId = reader.GetGuid(1),
        CredentialId = reader.GetFieldValue<byte[]>(2),
        PublicKey = reader.GetFieldValue<byte[]>(3),
        SignCount = (uint)reader.GetInt64(4),
        Name = reader.GetString(5),
        CreatedAt = reader.GetDateTime(6),
        LastUsedAt = reader.IsDBNull(7) ? null : reader.GetDateTime(7),
    };
}
