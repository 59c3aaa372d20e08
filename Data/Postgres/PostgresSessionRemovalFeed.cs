using Npgsql;

namespace SliceAuth.Data.Postgres;

/// <summary>
/// LISTENs on <c>sliceauth_sessions</c>, where the sessions table's triggers announce every deleted or changed
/// session once its deletion commits. The listening connection also runs a query every <see cref="Heartbeat"/>:
/// PostgreSQL delivers every notification committed before that query was sent ahead of the query's answer,
/// so when a heartbeat sent at time s has been answered, nothing committed before s can still be missing.
/// <see cref="Complete"/> holds only while the last answered heartbeat was sent within <see cref="TrustFor"/>:
/// whatever happens to the listener (killed, cut off, stalled), a revocation committed more than TrustFor ago
/// is never served from memory. After any gap the feed resets every cache before it is trusted again.
/// </summary>
internal sealed class PostgresSessionRemovalFeed(PostgresDatabase db, ILogger<PostgresSessionRemovalFeed> log)
    : BackgroundService, ISessionRemovalFeed
{
    public const string Channel = "sliceauth_sessions";
    public const string ApplicationName = "sliceauth-listener";

    /// <summary>How often the listening connection proves it is up and has delivered everything up to now.</summary>
    public static readonly TimeSpan Heartbeat = TimeSpan.FromMilliseconds(100);

    /// <summary>The longest memory may lag behind the database; beyond it every request reads PostgreSQL.</summary>
    public static readonly TimeSpan TrustFor = TimeSpan.FromMilliseconds(250);

    private static readonly TimeSpan RetryAfterLoss = TimeSpan.FromMilliseconds(250);

    // 0 = not listening; otherwise Environment.TickCount64 when the last answered heartbeat was sent.
    private long _deliveredUpTo;

    public bool Complete
    {
        get
        {
            var upTo = Interlocked.Read(ref _deliveredUpTo);
            return upTo != 0 && Environment.TickCount64 - upTo < TrustFor.TotalMilliseconds;
        }
    }

    public event Action<string>? Removed;

    public event Action? Reset;

    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        var connectionString = new NpgsqlConnectionStringBuilder(db.Source.ConnectionString)
        {
            ApplicationName = ApplicationName,
            Pooling = false,
            KeepAlive = 1,
        }.ConnectionString;
        var lost = false;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync(stop);
                connection.Notification += (_, e) => Announce(e.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection)) await listen.ExecuteNonQueryAsync(stop);

                // Listening from here on; whatever was deleted before now may be in a cache: drop them all.
                Reset?.Invoke();
                if (lost) log.LogWarning("Listening for session revocations again; in-memory sessions were dropped");
                lost = false;
                await using var heartbeat = new NpgsqlCommand("SELECT 1", connection) { CommandTimeout = 2 };
                while (!stop.IsCancellationRequested)
                {
                    var sent = Math.Max(1, Environment.TickCount64);
                    await heartbeat.ExecuteScalarAsync(stop); // notifications committed before `sent` arrive first
                    Interlocked.Exchange(ref _deliveredUpTo, sent);
                    var wait = sent + (long)Heartbeat.TotalMilliseconds - Environment.TickCount64;
                    // Notifications arriving meanwhile are raised from inside WaitAsync.
                    while (wait > 0 && !stop.IsCancellationRequested)
                    {
                        await connection.WaitAsync(TimeSpan.FromMilliseconds(wait), stop);
                        wait = sent + (long)Heartbeat.TotalMilliseconds - Environment.TickCount64;
                    }
                }
            }
            catch (Exception e) when (!stop.IsCancellationRequested)
            {
                Interlocked.Exchange(ref _deliveredUpTo, 0);
                if (!lost)
                    log.LogWarning("Lost the session revocation listener ({Reason}); every request reads PostgreSQL until it is back",
                        e is PostgresException p ? p.SqlState : e.GetType().Name);
                lost = true;
                try { await Task.Delay(RetryAfterLoss, stop); } catch (OperationCanceledException) { }
            }
            catch (OperationCanceledException)
            {
            }
            finally
            {
                Interlocked.Exchange(ref _deliveredUpTo, 0);
            }
        }
    }

    private void Announce(string payload)
    {
        if (payload == "*") Reset?.Invoke();
        else Removed?.Invoke(payload);
    }
}
