using Npgsql;

namespace SliceAuth.Data.Postgres;

/// <summary>
/// LISTENs on <c>sliceauth_sessions</c>, where the sessions table's triggers announce every deleted or changed
/// session once its deletion commits. <see cref="Complete"/> is true only while the listening connection is up
/// and has answered within <see cref="TrustFor"/>: an idle connection is proved alive by a query every
/// <see cref="Heartbeat"/>. After any gap the feed resets every cache before it is trusted again, since what
/// was announced during the gap is lost.
/// </summary>
internal sealed class PostgresSessionRemovalFeed(PostgresDatabase db, ILogger<PostgresSessionRemovalFeed> log)
    : BackgroundService, ISessionRemovalFeed
{
    public const string Channel = "sliceauth_sessions";
    public const string ApplicationName = "sliceauth-listener";

    private static readonly TimeSpan Heartbeat = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan TrustFor = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan RetryAfterLoss = TimeSpan.FromMilliseconds(250);

    // 0 = not listening; otherwise Environment.TickCount64 when the connection last proved alive.
    private long _aliveAt;

    public bool Complete
    {
        get
        {
            var alive = Interlocked.Read(ref _aliveAt);
            return alive != 0 && Environment.TickCount64 - alive < TrustFor.TotalMilliseconds;
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
                Alive();
                if (lost) log.LogWarning("Listening for session revocations again; in-memory sessions were dropped");
                lost = false;
                while (!stop.IsCancellationRequested)
                {
                    if (await connection.WaitAsync(Heartbeat, stop)) continue; // a notification arrived (and counts as alive)
                    await using var ping = new NpgsqlCommand("SELECT 1", connection) { CommandTimeout = (int)TrustFor.TotalSeconds };
                    await ping.ExecuteScalarAsync(stop);
                    Alive();
                }
            }
            catch (Exception e) when (!stop.IsCancellationRequested)
            {
                Interlocked.Exchange(ref _aliveAt, 0);
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
                Interlocked.Exchange(ref _aliveAt, 0);
            }
        }
    }

    private void Announce(string payload)
    {
        Alive();
        if (payload == "*") Reset?.Invoke();
        else Removed?.Invoke(payload);
    }

    private void Alive() => Interlocked.Exchange(ref _aliveAt, Math.Max(1, Environment.TickCount64));
}
