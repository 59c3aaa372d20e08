using Microsoft.Extensions.Options;
using SliceAuth.Auth;

namespace SliceAuth.Data.Postgres;

/// <summary>
/// The login throttle shared by every instance: the same rule as <see cref="LoginThrottle"/>, counted in
/// PostgreSQL's <c>login_checks</c>. Taking a place is one call of <c>sliceauth_reserve_login_check</c>, which
/// counts and inserts under a per-account advisory lock: however many instances ask at once, at most
/// MaxFailures checks are in flight or failed within the window. Times come from this instance's clock.
/// </summary>
internal sealed class PostgresLoginThrottle(PostgresDatabase db, IOptions<AuthOptions> options, TimeProvider clock) : ILoginThrottle
{
    /// <summary>When only checks in flight hold the places: they end within a bcrypt time.</summary>
    private static readonly TimeSpan InFlightWait = TimeSpan.FromSeconds(1);

    /// <summary>A check in flight this old belonged to an instance that died mid-check; its place is given back.</summary>
    private static readonly TimeSpan InFlightTtl = TimeSpan.FromMinutes(2);

    private readonly LoginThrottleOptions _options = options.Value.LoginThrottle;

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    /// <summary>
    /// PostgreSQL's text cannot hold U+0000, which a login name from a request may carry; such a name can never be
    /// an account's, so sharing its count with the same name spelled with U+FFFD costs nothing.
    /// </summary>
    private static string Storable(string accountKey) => accountKey.Replace('\0', '\uFFFD');

    public Task<TimeSpan?> TryReserveAsync(string accountKey) => db.RunAsync(async connection =>
    {
        var now = Now;
        await using var reserve = PostgresDatabase.Command(connection,
            "SELECT reserved, retry_at FROM sliceauth_reserve_login_check($1, $2, $3, $4, $5)",
            Storable(accountKey), now, _options.Window, _options.MaxFailures, InFlightTtl);
        await using var reader = await reserve.ExecuteReaderAsync();
        await reader.ReadAsync();
        if (!reader.IsDBNull(0)) return (TimeSpan?)null;
        return reader.IsDBNull(1) ? InFlightWait : reader.GetDateTime(1) - now;
    });

    // One of the account's checks in flight becomes a failure (which one does not matter to the count).
    public Task RecordFailureAsync(string accountKey) => db.ExecuteAsync(
        """
        UPDATE login_checks SET failed_at = $2
         WHERE id = (SELECT id FROM login_checks WHERE account_key = $1 AND failed_at IS NULL ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)
        """, Storable(accountKey), Now);

    // The run of failures ends, and this check's place with it; other checks in flight keep theirs.
    public Task ResetAsync(string accountKey) => db.ExecuteAsync(
        """
        DELETE FROM login_checks
         WHERE account_key = $1
           AND (failed_at IS NOT NULL
                OR id = (SELECT id FROM login_checks WHERE account_key = $1 AND failed_at IS NULL ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED))
        """, Storable(accountKey));

    public Task ReleaseAsync(string accountKey) => db.ExecuteAsync(
        """
        DELETE FROM login_checks
         WHERE id = (SELECT id FROM login_checks WHERE account_key = $1 AND failed_at IS NULL ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)
        """, Storable(accountKey));

    public Task ForgetStaleAsync()
    {
        var now = Now;
        return db.ExecuteAsync("DELETE FROM login_checks WHERE failed_at <= $1 OR (failed_at IS NULL AND started_at <= $2)",
            now - _options.Window, now - InFlightTtl);
    }
}
