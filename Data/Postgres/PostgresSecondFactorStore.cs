using Npgsql;

namespace SliceAuth.Data.Postgres;

/// <summary>
/// The second factor in PostgreSQL (<c>second_factors</c>, <c>recovery_codes</c>, <c>pending_logins</c>). A proof is
/// consumed by one statement that only matches while it is unused (a step above the last accepted one, a code row
/// still there), inside a transaction that commits only when every condition held, so concurrent calls on any
/// number of instances consume it once. Each transaction first locks the account's row (the order an account
/// deletion takes its locks): a factor change holds it exclusively, a login shares it, so a login and a factor
/// change run one after the other while logins run side by side. Sessions deleted here notify every instance's
/// cache through the sessions table's trigger, as every session deletion does.
/// </summary>
internal sealed class PostgresSecondFactorStore(PostgresDatabase db) : ISecondFactorStore
{
    private const string PendingColumns = "id, account_id, credential_stamp, created_at, expires_at, user_agent, ip_address";

    public Task<SecondFactor?> FindAsync(Guid accountId) => db.RunAsync(async connection =>
    {
        await using var select = PostgresDatabase.Command(connection,
            "SELECT protected_secret, pending_secret, last_accepted_step, " +
            "ARRAY(SELECT code_hash FROM recovery_codes r WHERE r.account_id = f.account_id) " +
            "FROM second_factors f WHERE account_id = $1", accountId);
        await using var reader = await select.ExecuteReaderAsync();
        if (!await reader.ReadAsync()) return null;
        return new SecondFactor
        {
            AccountId = accountId,
            ProtectedSecret = reader.IsDBNull(0) ? null : reader.GetString(0),
            PendingSecret = reader.IsDBNull(1) ? null : reader.GetString(1),
            LastAcceptedStep = reader.GetInt64(2),
            RecoveryCodeHashes = reader.GetFieldValue<string[]>(3),
        };
    });

    public async Task<bool> SetPendingSecretAsync(Guid accountId, string protectedSecret)
    {
        try
        {
            // A row with TOTP on is left alone (0 rows); the account being gone is the foreign key's answer.
            return await db.ExecuteAsync(
                "INSERT INTO second_factors (account_id, pending_secret) VALUES ($1, $2) " +
                "ON CONFLICT (account_id) DO UPDATE SET pending_secret = EXCLUDED.pending_secret WHERE second_factors.protected_secret IS NULL",
                accountId, protectedSecret) > 0;
        }
        catch (PostgresException e) when (e.SqlState == PostgresFaults.ForeignKeyViolation)
        {
            return false;
        }
    }

    public Task<bool> EnableAsync(Guid accountId, Guid expectedStamp, Guid newStamp, string pendingSecret, long acceptedStep,
        IReadOnlyList<string> recoveryCodeHashes, string keepSessionHandle) => CommitIfAsync(async connection =>
    {
        if (!await LockAccountAsync(connection, accountId, expectedStamp, exclusive: true)) return false;
        if (await ExecuteAsync(connection,
                "UPDATE second_factors SET protected_secret = pending_secret, pending_secret = NULL, last_accepted_step = $3 " +
                "WHERE account_id = $1 AND protected_secret IS NULL AND pending_secret = $2",
                accountId, pendingSecret, acceptedStep) == 0) return false;
        await SetCodesAsync(connection, accountId, recoveryCodeHashes);
        await RestampAsync(connection, accountId, newStamp, keepSessionHandle);
        return true;
    });

    public Task<bool> ReplaceRecoveryCodesAsync(Guid accountId, Guid expectedStamp, Guid newStamp, SecondFactorProof proof,
        IReadOnlyList<string> recoveryCodeHashes, string keepSessionHandle) => CommitIfAsync(async connection =>
    {
        if (!await LockAccountAsync(connection, accountId, expectedStamp, exclusive: true)
            || !await ConsumeAsync(connection, accountId, proof)) return false;
        await SetCodesAsync(connection, accountId, recoveryCodeHashes);
        await RestampAsync(connection, accountId, newStamp, keepSessionHandle);
        return true;
    });

    public Task<bool> DisableAsync(Guid accountId, Guid expectedStamp, Guid newStamp, SecondFactorProof proof, string keepSessionHandle) =>
        CommitIfAsync(async connection =>
        {
            if (!await LockAccountAsync(connection, accountId, expectedStamp, exclusive: true)
                || !await ConsumeAsync(connection, accountId, proof)) return false;
            await ExecuteAsync(connection, "DELETE FROM recovery_codes WHERE account_id = $1", accountId);
            await ExecuteAsync(connection, "DELETE FROM second_factors WHERE account_id = $1", accountId);
            await RestampAsync(connection, accountId, newStamp, keepSessionHandle);
            return true;
        });

    public Task AddPendingLoginAsync(PendingLogin pending) => db.ExecuteAsync(
        $"INSERT INTO pending_logins ({PendingColumns}) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        pending.Id, pending.AccountId, pending.CredentialStamp, PostgresAccountStore.Utc(pending.CreatedAt),
        PostgresAccountStore.Utc(pending.ExpiresAt), pending.UserAgent, pending.IpAddress);

    public Task<PendingLogin?> FindPendingLoginAsync(string id, DateTime now) => PostgresDatabase.CannotBeStored(id)
        ? Task.FromResult<PendingLogin?>(null)
        : db.RunAsync(connection => FindLiveAsync(connection, id, now));

    public Task<bool> CompleteLoginAsync(string pendingId, DateTime now, SecondFactorProof proof, Session session) =>
        PostgresDatabase.CannotBeStored(pendingId)
            ? Task.FromResult(false)
            : CommitIfAsync(async connection =>
            {
                if (await FindLiveAsync(connection, pendingId, now) is not { } pending
                    || !await LockAccountAsync(connection, pending.AccountId, pending.CredentialStamp, exclusive: false)
                    // Of concurrent completions of one pending login, only the first deletes it.
                    || await ExecuteAsync(connection, "DELETE FROM pending_logins WHERE id = $1 AND expires_at > $2",
                        pendingId, PostgresAccountStore.Utc(now)) == 0
                    || !await ConsumeAsync(connection, pending.AccountId, proof)) return false;
                await PostgresSessionRecords.InsertAsync(connection, session);
                return true;
            });

    public Task<int> DeleteExpiredPendingLoginsAsync(DateTime now) =>
        db.ExecuteAsync("DELETE FROM pending_logins WHERE expires_at <= $1", PostgresAccountStore.Utc(now));

    /// <summary>
    /// Runs <paramref name="work"/> in one transaction that commits only when it answers true: a false after a write
    /// (a pending login deleted, then its proof found used) rolls that write back, so false means nothing changed.
    /// </summary>
    private Task<bool> CommitIfAsync(Func<NpgsqlConnection, Task<bool>> work) => db.RunAsync(async connection =>
    {
        await using var transaction = await connection.BeginTransactionAsync();
        if (!await work(connection)) return false; // disposed uncommitted: rolled back
        await transaction.CommitAsync();
        return true;
    });

    /// <summary>
    /// Locks the account's row until the transaction ends if it still has <paramref name="expectedStamp"/>: exclusively
    /// for a factor change, shared for a login (which changes no stamp), so the two wait for each other.
    /// </summary>
    private static async Task<bool> LockAccountAsync(NpgsqlConnection connection, Guid accountId, Guid expectedStamp, bool exclusive)
    {
        await using var select = PostgresDatabase.Command(connection,
            $"SELECT 1 FROM users WHERE id = $1 AND credential_stamp = $2 FOR {(exclusive ? "UPDATE" : "SHARE")}", accountId, expectedStamp);
        return await select.ExecuteScalarAsync() is not null;
    }

    /// <summary>Consumes the proof in one statement that matches only while TOTP is on and the proof unused.</summary>
    private static async Task<bool> ConsumeAsync(NpgsqlConnection connection, Guid accountId, SecondFactorProof proof)
    {
        if (proof.TotpStep is { } step)
            return await ExecuteAsync(connection,
                "UPDATE second_factors SET last_accepted_step = $2 " +
                "WHERE account_id = $1 AND last_accepted_step < $2 AND protected_secret IS NOT NULL", accountId, step) > 0;
        if (proof.RecoveryCodeHash is { } hash && !PostgresDatabase.CannotBeStored(hash))
            return await ExecuteAsync(connection,
                "DELETE FROM recovery_codes WHERE account_id = $1 AND code_hash = $2 " +
                "AND EXISTS (SELECT 1 FROM second_factors f WHERE f.account_id = $1 AND f.protected_secret IS NOT NULL)",
                accountId, hash) > 0;
        return false;
    }

    private static async Task SetCodesAsync(NpgsqlConnection connection, Guid accountId, IReadOnlyList<string> hashes)
    {
        await ExecuteAsync(connection, "DELETE FROM recovery_codes WHERE account_id = $1", accountId);
        await ExecuteAsync(connection,
            "INSERT INTO recovery_codes (account_id, code_hash) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING",
            accountId, hashes.ToArray());
    }

    /// <summary>The factor changed: a new stamp, and every session of the account but the one that made the change ends.</summary>
    private static async Task RestampAsync(NpgsqlConnection connection, Guid accountId, Guid newStamp, string keepSessionHandle)
    {
        await ExecuteAsync(connection, "UPDATE users SET credential_stamp = $2 WHERE id = $1", accountId, newStamp);
        await ExecuteAsync(connection, "DELETE FROM sessions WHERE user_id = $1 AND handle <> $2", accountId, keepSessionHandle);
    }

    private static async Task<PendingLogin?> FindLiveAsync(NpgsqlConnection connection, string id, DateTime now)
    {
        await using var select = PostgresDatabase.Command(connection,
            $"SELECT {PendingColumns} FROM pending_logins WHERE id = $1 AND expires_at > $2", id, PostgresAccountStore.Utc(now));
        await using var reader = await select.ExecuteReaderAsync();
        if (!await reader.ReadAsync()) return null;
        return new PendingLogin
        {
            Id = reader.GetString(0),
            AccountId = reader.GetGuid(1),
            CredentialStamp = reader.GetGuid(2),
            CreatedAt = reader.GetDateTime(3),
            ExpiresAt = reader.GetDateTime(4),
            UserAgent = reader.IsDBNull(5) ? null : reader.GetString(5),
            IpAddress = reader.IsDBNull(6) ? null : reader.GetString(6),
        };
    }

    private static async Task<int> ExecuteAsync(NpgsqlConnection connection, string sql, params object?[] values)
    {
        await using var command = PostgresDatabase.Command(connection, sql, values);
        return await command.ExecuteNonQueryAsync();
    }
}
