using StackExchange.Redis;

namespace SliceAuth.Hardening;

/// <summary>A fixed window's count after one more hit, and how long the window still runs.</summary>
public readonly record struct WindowCount(long Count, TimeSpan Remaining);

/// <summary>
/// Fixed-window counters in Redis, shared by every instance. One script increments the count and starts the
/// window's expiry on its first hit, atomically in Redis: concurrent hits from any number of instances are
/// each counted once and the window is Redis's own clock, not an instance's. When Redis cannot answer, a hit
/// returns null (the caller counts on its own), one warning is logged for the outage, and counting in Redis
/// resumes by itself with the first hit that succeeds after the client has reconnected.
/// </summary>
public sealed class RedisWindowCounter(RedisConnectionOptions settings, ILogger<RedisWindowCounter> log) : IHostedService, IDisposable
{
    // PTTL below zero would mean a key without expiry (written by something else): never let it become a ban.
    private const string HitScript = """
        local count = redis.call('INCR', KEYS[1])
        if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
        local ttl = redis.call('PTTL', KEYS[1])
        if ttl < 0 then
          redis.call('PEXPIRE', KEYS[1], ARGV[1])
          ttl = tonumber(ARGV[1])
        end
        return {count, ttl}
        """;

    private readonly ConfigurationOptions _options = settings.ClientOptions();
    private ConnectionMultiplexer? _redis;
    private int _lost;
    private long _nextTry; // Environment.TickCount64: while lost, one request a second asks Redis, the others count here at once

    public const string KeyPrefix = "sliceauth:rl:";
    private const long RetryEveryMs = 1000;

    /// <summary>Connects during the start (at most the connect timeout); an unreachable Redis does not stop the start.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _redis = await ConnectionMultiplexer.ConnectAsync(_options);
        _redis.ConnectionFailed += (_, e) => Lost(e.FailureType.ToString());
        _redis.ConnectionRestored += (_, _) => Volatile.Write(ref _nextTry, 0);
        if (!_redis.IsConnected) Lost("UnableToConnect");
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Counts one hit in the window <paramref name="policy"/>/<paramref name="client"/>; null when Redis cannot answer now.</summary>
    public async ValueTask<WindowCount?> HitAsync(string policy, string client, TimeSpan window)
    {
        if (_redis is not { } redis) return null; // not started yet
        if (!redis.IsConnected)
        {
            Lost("Disconnected");
            return null;
        }
        if (!MayTry()) return null;
        try
        {
            var result = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(HitScript,
                [(RedisKey)$"{KeyPrefix}{policy}:{client}"], [(long)window.TotalMilliseconds]))!;
            Restored();
            return new WindowCount((long)result[0], TimeSpan.FromMilliseconds((long)result[1]));
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            Lost(e is TimeoutException ? "Timeout" : e.GetType().Name);
            return null;
        }
    }

    /// <summary>Whether Redis answers a PING now (for /health/ready).</summary>
    public async Task<bool> ProbeAsync()
    {
        var redis = _redis;
        if (redis is not { IsConnected: true }) return false;
        try
        {
            await redis.GetDatabase().PingAsync();
            Restored();
            return true;
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            Lost(e is TimeoutException ? "Timeout" : e.GetType().Name);
            return false;
        }
    }

    // A Redis that hangs costs each call the timeout: while it is lost, only the first call of each second pays it.
    private bool MayTry()
    {
        if (Volatile.Read(ref _lost) == 0) return true;
        var due = Volatile.Read(ref _nextTry);
        var now = Environment.TickCount64;
        return now >= due && Interlocked.CompareExchange(ref _nextTry, now + RetryEveryMs, due) == due;
    }

    // The endpoints only: the connection string may carry a password.
    private string Endpoints => string.Join(",", _options.EndPoints.Select(e => e is System.Net.DnsEndPoint dns ? $"{dns.Host}:{dns.Port}" : e.ToString()));

    private void Lost(string why)
    {
        Volatile.Write(ref _nextTry, Environment.TickCount64 + RetryEveryMs);
        if (Interlocked.Exchange(ref _lost, 1) == 0)
            log.LogWarning("Redis at {Endpoints} is not answering ({Reason}): per-client rate limits are counted per instance until it answers again",
                Endpoints, why);
    }

    private void Restored()
    {
        if (Interlocked.Exchange(ref _lost, 0) == 1)
            log.LogInformation("Redis at {Endpoints} answers again: per-client rate limits are shared again", Endpoints);
    }

    public void Dispose() => _redis?.Dispose();
}
