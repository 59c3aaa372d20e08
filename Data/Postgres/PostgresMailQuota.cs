namespace SliceAuth.Data.Postgres;

/// <summary>
/// Mail quotas in PostgreSQL, shared by every instance. A take is one statement: the insert of a new window,
/// or, on the key's existing row (locked by ON CONFLICT, re-read after any concurrent take committed), a new
/// window if the old one ended, else one more if the limit allows. No row returned: used up, nothing taken.
/// </summary>
internal sealed class PostgresMailQuota(PostgresDatabase db) : IMailQuota
{
    /// <summary>
    /// PostgreSQL's text cannot hold U+0000, which a key built from a request may carry; sharing its count
    /// with the same key spelled with U+FFFD can only make the limit stricter.
    /// </summary>
    private static string Storable(string key) => key.Replace('\0', '\uFFFD');

    public async Task<bool> TryTakeAsync(string key, int limit, TimeSpan window, DateTime now) => limit > 0 && await db.RunAsync(async connection =>
    {
        await using var take = PostgresDatabase.Command(connection,
            """
            INSERT INTO mail_quota AS q (key, window_start, window_end, used) VALUES ($1, $2, $2 + $3, 1)
            ON CONFLICT (key) DO UPDATE SET
                window_start = CASE WHEN q.window_end <= $2 THEN $2 ELSE q.window_start END,
                window_end   = CASE WHEN q.window_end <= $2 THEN $2 + $3 ELSE q.window_end END,
                used         = CASE WHEN q.window_end <= $2 THEN 1 ELSE q.used + 1 END
              WHERE q.window_end <= $2 OR q.used < $4
            RETURNING used
            """, Storable(key), PostgresAccountStore.Utc(now), window, limit);
        return await take.ExecuteScalarAsync() is not null;
    });

    public Task<int> ForgetEndedAsync(DateTime endedBefore) =>
        db.ExecuteAsync("DELETE FROM mail_quota WHERE window_end < $1", PostgresAccountStore.Utc(endedBefore));
}
