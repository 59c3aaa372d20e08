using Npgsql;

namespace SliceAuth.Data.Postgres;

/// <summary>
/// Accounts in PostgreSQL. The unique constraints on the name, look-alike and email keys decide a registration
/// race between instances (SQLSTATE 23505 names the constraint that was hit); the credential writes lock the
/// account's row and check its stamp in the same transaction as their session changes.
/// </summary>
internal sealed class PostgresAccountStore(PostgresDatabase db) : IAccountStore
{
    internal const string Columns =
        "id, username, username_key, username_lookalike_key, email, email_key, password_hash, credential_stamp, created_at, email_verified";

    public Task<User?> FindByUsernameKeyAsync(string usernameKey) => PostgresDatabase.CannotBeStored(usernameKey)
        ? Task.FromResult<User?>(null)
        : FindOneAsync("username_key = $1", usernameKey);

    public Task<User?> FindByIdAsync(Guid id) => FindOneAsync("id = $1", id);

    public Task<User?> FindByEmailKeyAsync(string emailKey) => PostgresDatabase.CannotBeStored(emailKey)
        ? Task.FromResult<User?>(null)
        : FindOneAsync("email_key = $1", emailKey);

    public async Task<AddAccountResult> TryAddAsync(User user)
    {
        try
        {
            await db.ExecuteAsync(
                $"INSERT INTO users ({Columns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                user.Id, user.Username, user.UsernameKey, user.UsernameLookalikeKey, user.Email, user.EmailKey,
                user.PasswordHash, user.CredentialStamp, Utc(user.CreatedAt), user.EmailVerified);
            return AddAccountResult.Added;
        }
        catch (PostgresException e) when (e.SqlState == PostgresFaults.UniqueViolation)
        {
            return e.ConstraintName switch
            {
                "users_username_key_unique" => AddAccountResult.UsernameTaken,
                "users_username_lookalike_key_unique" => AddAccountResult.LookalikeTaken,
                "users_email_key_unique" => AddAccountResult.EmailTaken,
                _ => throw new InvalidOperationException($"Unexpected unique constraint {e.ConstraintName}.", e),
            };
        }
    }

    public async Task<bool> SetPasswordHashAsync(Guid accountId, string passwordHash) =>
        await db.ExecuteAsync("UPDATE users SET password_hash = $2 WHERE id = $1", accountId, passwordHash) > 0;

    public Task<bool> TryStartSessionAsync(Guid accountId, Guid expectedStamp, Session session, string? upgradedHash = null) =>
        db.InTransactionAsync(async (connection, _) =>
        {
            if (!await LockIfStillHoldsAsync(connection, accountId, expectedStamp)) return false;
            if (upgradedHash is not null)
            {
                await using var update = PostgresDatabase.Command(connection, "UPDATE users SET password_hash = $2 WHERE id = $1", accountId, upgradedHash);
                await update.ExecuteNonQueryAsync();
            }
            await PostgresSessionRecords.InsertAsync(connection, session);
            return true;
        });

    public Task<bool> ChangePasswordAsync(Guid accountId, Guid expectedStamp, string newHash, Guid newStamp, Session keepSession) =>
        db.InTransactionAsync(async (connection, _) =>
        {
            if (!await LockIfStillHoldsAsync(connection, accountId, expectedStamp)) return false;
            await using (var delete = PostgresDatabase.Command(connection, "DELETE FROM sessions WHERE user_id = $1", accountId))
                await delete.ExecuteNonQueryAsync();
            await using (var update = PostgresDatabase.Command(connection,
                             "UPDATE users SET password_hash = $2, credential_stamp = $3 WHERE id = $1", accountId, newHash, newStamp))
                await update.ExecuteNonQueryAsync();
            await PostgresSessionRecords.InsertAsync(connection, keepSession);
            return true;
        });

    // The sessions and email tokens go with the account (ON DELETE CASCADE), each session's deletion notifying the other instances.
    public Task<bool> DeleteAccountAsync(Guid accountId, Guid expectedStamp) => db.RunAsync(async connection =>
    {
        await using var delete = PostgresDatabase.Command(connection, "DELETE FROM users WHERE id = $1 AND credential_stamp = $2", accountId, expectedStamp);
        return await delete.ExecuteNonQueryAsync() > 0;
    });

    /// <summary>
    /// Locks the account's row until the transaction ends if it still has the stamp that was verified: a
    /// concurrent password change or deletion on another instance waits for this transaction, or this one for it.
    /// </summary>
    private static async Task<bool> LockIfStillHoldsAsync(NpgsqlConnection connection, Guid accountId, Guid expectedStamp)
    {
        await using var select = PostgresDatabase.Command(connection,
            "SELECT 1 FROM users WHERE id = $1 AND credential_stamp = $2 FOR UPDATE", accountId, expectedStamp);
        return await select.ExecuteScalarAsync() is not null;
    }

    private Task<User?> FindOneAsync(string where, object key) => db.RunAsync(async connection =>
    {
        await using var select = PostgresDatabase.Command(connection, $"SELECT {Columns} FROM users WHERE {where}", key);
        await using var reader = await select.ExecuteReaderAsync();
        return await reader.ReadAsync() ? ReadUser(reader) : null;
    });

    /// <summary>The account in the current row of a reader that selected <see cref="Columns"/>.</summary>
    internal static User ReadUser(NpgsqlDataReader reader) => new()
    {
        Id = reader.GetGuid(0),
        Username = reader.GetString(1),
        UsernameKey = reader.GetString(2),
        UsernameLookalikeKey = reader.IsDBNull(3) ? null : reader.GetString(3),
        Email = reader.GetString(4),
        EmailKey = reader.GetString(5),
        PasswordHash = reader.GetString(6),
        CredentialStamp = reader.GetGuid(7),
        CreatedAt = reader.GetDateTime(8),
        EmailVerified = reader.GetBoolean(9),
    };

    /// <summary>timestamptz takes UTC only; a value that came without a kind is UTC in this product.</summary>
    internal static DateTime Utc(DateTime value) => value.Kind switch
    {
        DateTimeKind.Utc => value,
        DateTimeKind.Local => value.ToUniversalTime(),
        _ => DateTime.SpecifyKind(value, DateTimeKind.Utc),
    };
}
