namespace SliceAuth.Auth;

/// <summary>
/// The per-account brake on password guessing, as the password check uses it: take a place in the count
/// before bcrypt, then turn it into a failure, a success or nothing. A check in flight counts against the
/// limit, so however many arrive at once, at most MaxFailures of them can fail within the window.
/// In memory for one instance (<see cref="LoginThrottle"/>), in the database when several share one
/// (Data/Postgres/PostgresLoginThrottle.cs): the count is then one atomic step in the engine.
/// </summary>
public interface ILoginThrottle
{
    /// <summary>Takes a place for one password check; null when taken, otherwise how long to wait (nothing taken).</summary>
    Task<TimeSpan?> TryReserveAsync(string accountKey);

    /// <summary>The reserved check failed: it counts as a failure within the window.</summary>
    Task RecordFailureAsync(string accountKey);

    /// <summary>The reserved check succeeded: the run of failures ends.</summary>
    Task ResetAsync(string accountKey);

    /// <summary>The reserved check never reached a verdict (overload, storage fault): the place is given back.</summary>
    Task ReleaseAsync(string accountKey);

    /// <summary>Housekeeping: forgets accounts with no failure in the window and no check in flight.</summary>
    Task ForgetStaleAsync();
}
