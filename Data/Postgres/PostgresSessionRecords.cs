using Npgsql;

namespace SliceAuth.Data.Postgres;

/// <summary>
/// Session records in PostgreSQL. Every deletion (here, by the purge on any instance, or by an operator) fires
/// the <c>sessions_removed</c> trigger, which tells every instance's cache (<see cref="PostgresSessionRemovalFeed"/>).
/// </summary>
internal sealed class PostgresSessionRecords(PostgresDatabase db) : ISessionRecords
{
    private const string Columns = "id, handle, user_id, username, created_at, last_seen_at, expires_at, user_agent, ip_address";

    public Task AddAsync(Session session) => db.RunAsync(async connection =>
    {
        await InsertAsync(connection, session);
        return true;
    });

    internal static async Task InsertAsync(NpgsqlConnection connection, Session session)
    {
        await using var insert = PostgresDatabase.Command(connection,
            $"INSERT INTO sessions ({Columns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            session.Id, session.Handle, session.UserId, session.Username, PostgresAccountStore.Utc(session.CreatedAt),
            PostgresAccountStore.Utc(session.LastSeenAt), PostgresAccountStore.Utc(session.ExpiresAt), session.UserAgent, session.IpAddress);
        await insert.ExecuteNonQueryAsync();
    }

    public async Task<Session?> FindAsync(string id) => (await SelectAsync("id = $1", id)).SingleOrDefault();

    // An update, never an upsert: a session deleted meanwhile stays deleted; and only ever forward.
    public async Task<bool> TouchAsync(string id, DateTime seenAt) =>
        await db.ExecuteAsync("UPDATE sessions SET last_seen_at = $2 WHERE id = $1 AND last_seen_at < $2", id, PostgresAccountStore.Utc(seenAt)) > 0;

    public Task<IReadOnlyList<Session>> ListByAccountAsync(Guid accountId) => SelectAsync("user_id = $1", accountId);

    public async Task<bool> DeleteAsync(string id) => await db.ExecuteAsync("DELETE FROM sessions WHERE id = $1", id) > 0;

    public async Task<bool> DeleteByHandleAsync(Guid accountId, string handle) =>
        await db.ExecuteAsync("DELETE FROM sessions WHERE user_id = $1 AND handle = $2", accountId, handle) > 0;

    public Task<int> DeleteAllOfAccountAsync(Guid accountId, string? exceptHandle = null) => exceptHandle is null
        ? db.ExecuteAsync("DELETE FROM sessions WHERE user_id = $1", accountId)
        : db.ExecuteAsync("DELETE FROM sessions WHERE user_id = $1 AND handle <> $2", accountId, exceptHandle);

    // Safe on N instances at once: a row another purge deleted first is simply not counted here.
    public Task<int> PurgeExpiredAsync(DateTime now, DateTime idleCutoff) =>
        db.ExecuteAsync("DELETE FROM sessions WHERE expires_at <= $1 OR last_seen_at <= $2",
            PostgresAccountStore.Utc(now), PostgresAccountStore.Utc(idleCutoff));

    private Task<IReadOnlyList<Session>> SelectAsync(string where, object key) => db.RunAsync<IReadOnlyList<Session>>(async connection =>
    {
        await using var select = PostgresDatabase.Command(connection, $"SELECT {Columns} FROM sessions WHERE {where}", key);
        await using var reader = await select.ExecuteReaderAsync();
        var sessions = new List<Session>();
        while (await reader.ReadAsync())
            sessions.Add(new Session
            {
                Id = reader.GetString(0),
                Handle = reader.GetString(1),
                UserId = reader.GetGuid(2),
                Username = reader.GetString(3),
                CreatedAt = reader.GetDateTime(4),
                LastSeenAt = reader.GetDateTime(5),
                ExpiresAt = reader.GetDateTime(6),
                UserAgent = reader.IsDBNull(7) ? null : reader.GetString(7),
                IpAddress = reader.IsDBNull(8) ? null : reader.GetString(8),
            });
        return sessions;
    });
}
