using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.Logging;
using SliceAuth.Hardening;
using SliceAuth.Tests.Infrastructure;

namespace SliceAuth.Tests.Hardening;

/// <summary>
/// ConnectionStrings:Redis: two instances (each its own data directory) count one client's requests together
/// in a real Redis; while Redis is gone each counts on its own and answers everything, and sharing resumes
/// by itself. The tests of this class share one redis-server and run one after another.
/// </summary>
[Trait("Category", "Redis")] // storage-neutral: runs once, not again in the PostgreSQL run
public sealed class SharedRateLimitTests : IClassFixture<RedisServer>
{
    private const int Limit = 4;
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan ShortTimeout = TimeSpan.FromSeconds(3);

    private readonly RedisServer _redis;

    public SharedRateLimitTests(RedisServer redis)
    {
        _redis = redis;
        _redis.Start(); // a test that failed mid-outage left it stopped
        _redis.Resume(); // or paused
        _redis.Cli("FLUSHALL");
    }

    [Fact]
    public async Task Two_instances_share_one_login_limit()
    {
        using var a = Instance();
        using var b = Instance();
        var (clientA, clientB) = (a.Client(), b.Client());

        await AssertAnswered(clientA, 2);
        await AssertAnswered(clientB, 2);

        foreach (var client in new[] { clientA, clientB })
        {
            var refused = await WrongLogin(client);
            await refused.Problem(HttpStatusCode.TooManyRequests);
            Assert.InRange(refused.Headers.RetryAfter?.Delta ?? TimeSpan.Zero, TimeSpan.FromSeconds(1), Window);
        }
    }

    [Fact]
    public async Task Concurrent_logins_across_both_instances_never_exceed_the_limit()
    {
        using var a = Instance();
        using var b = Instance();
        var (clientA, clientB) = (a.Client(), b.Client());

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => WrongLogin(i % 2 == 0 ? clientA : clientB)));

        Assert.Equal(Limit, responses.Count(r => r.StatusCode == HttpStatusCode.Unauthorized));
        Assert.Equal(20 - Limit, responses.Count(r => r.StatusCode == HttpStatusCode.TooManyRequests));
    }

    [Fact]
    public async Task The_count_lives_under_a_namespaced_key_that_expires_with_the_window()
    {
        using var a = Instance();
        var client = a.Client();
        for (var i = 0; i < 3; i++) await WrongLogin(client);
        await client.Register(Api.Unique("ns"));

        var keys = _redis.Cli("--scan", "--pattern", "*").Split('\n', StringSplitOptions.RemoveEmptyEntries).Order().ToArray();

        Assert.Equal(2, keys.Length);
        Assert.StartsWith("sliceauth:rl:login:", keys[0]);
        Assert.StartsWith("sliceauth:rl:register:", keys[1]);
        Assert.Equal("3", _redis.Cli("GET", keys[0]));
        Assert.InRange(long.Parse(_redis.Cli("PTTL", keys[0])), 1, (long)Window.TotalMilliseconds);
    }

    [Fact]
    public async Task Redis_stopped_each_instance_limits_on_its_own_and_sharing_resumes_when_it_returns()
    {
        using var a = Instance();
        using var b = Instance();
        var (clientA, clientB) = (a.Client(), b.Client());
        Assert.Equal("Healthy", await RateLimitsHealth(clientA));

        _redis.Stop();

        foreach (var client in new[] { clientA, clientB })
        {
            await AssertAnswered(client, Limit);
            await (await WrongLogin(client)).Problem(HttpStatusCode.TooManyRequests);
        }
        var ready = await clientA.Get("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode); // Degraded is still ready: the instance limits on its own
        Assert.Equal("Degraded", (await ready.Json()).GetProperty("status").GetString());
        Assert.Equal("Degraded", await RateLimitsHealth(clientA));
        Assert.Equal("Degraded", await RateLimitsHealth(clientA)); // probed again: still the one warning
        Assert.Single(Warnings(a));
        Assert.Single(Warnings(b));

        _redis.Start();
        await Eventually(async () => await RateLimitsHealth(clientA) == "Healthy" && await RateLimitsHealth(clientB) == "Healthy");

        await AssertAnswered(clientA, 2);
        await AssertAnswered(clientB, 2);
        await (await WrongLogin(clientA)).Problem(HttpStatusCode.TooManyRequests);
        await (await WrongLogin(clientB)).Problem(HttpStatusCode.TooManyRequests);
        Assert.Single(Warnings(a)); // still the one of the outage
        Assert.Contains(a.Logs.Entries, e => e.Category == typeof(RedisWindowCounter).FullName && e.Message.Contains("shared again"));
    }

    [Fact]
    public async Task Redis_hung_requests_wait_at_most_a_short_timeout_and_are_limited_per_instance()
    {
        using var a = Instance();
        var client = a.Client();
        await AssertAnswered(client, 1);

        _redis.Pause();
        try
        {
            await AssertAnswered(client, Limit); // each within the short timeout
            await (await WrongLogin(client)).Problem(HttpStatusCode.TooManyRequests);
            Assert.Equal("Degraded", await RateLimitsHealth(client));
            Assert.Single(Warnings(a));
        }
        finally
        {
            _redis.Resume();
        }
        await Eventually(async () => await RateLimitsHealth(client) == "Healthy");
    }

    [Fact]
    public async Task Redis_unreachable_at_start_the_instance_starts_limits_on_its_own_and_logs_no_secret()
    {
        const string password = "pw-that-must-never-be-logged-4711";
        using var a = Instance($"127.0.0.1:{ClosedPort()},password={password}");
        var client = a.Client();

        await AssertAnswered(client, Limit);
        await (await WrongLogin(client)).Problem(HttpStatusCode.TooManyRequests);
        var ready = await client.Get("/health/ready");

        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Degraded", await RateLimitsHealth(client));
        var warning = Assert.Single(Warnings(a));
        Assert.Contains("per instance", warning.Message);
        Assert.DoesNotContain(a.Logs.Entries, e => e.AllText.Contains(password));
    }

    [Fact]
    public async Task Without_Redis_each_instance_counts_on_its_own()
    {
        using var a = Instance(connectionString: null);
        using var b = Instance(connectionString: null);
        var (clientA, clientB) = (a.Client(), b.Client());

        await AssertAnswered(clientA, Limit);
        await AssertAnswered(clientB, Limit);
        await (await WrongLogin(clientA)).Problem(HttpStatusCode.TooManyRequests);
        Assert.False((await (await clientA.Get("/health/ready")).Json()).GetProperty("checks").TryGetProperty("rateLimits", out _));
    }

    private SliceAuthApp Instance() => Instance(_redis.ConnectionString);

    private static SliceAuthApp Instance(string? connectionString) => new(settings: new Dictionary<string, string?>
    {
        ["RateLimiting:Enabled"] = "true",
        ["RateLimiting:Login:PermitLimit"] = Limit.ToString(),
        ["RateLimiting:Login:Window"] = Window.ToString("c"),
        ["ConnectionStrings:Redis"] = connectionString,
    });

    private static Task<HttpResponseMessage> WrongLogin(HttpClient client) => client.Login(Api.Unique("rl"), "wrong password here");

    /// <summary>Each of <paramref name="count"/> logins is answered as a login (401), not refused, and promptly.</summary>
    private static async Task AssertAnswered(HttpClient client, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var timer = Stopwatch.StartNew();
            Assert.Equal(HttpStatusCode.Unauthorized, (await WrongLogin(client)).StatusCode);
            Assert.True(timer.Elapsed < ShortTimeout, $"a login took {timer.Elapsed}");
        }
    }

    private static async Task<string?> RateLimitsHealth(HttpClient client) =>
        (await (await client.Get("/health/ready")).Json()).GetProperty("checks").GetProperty("rateLimits").GetString();

    /// <summary>Warnings about Redis or the rate limits from anywhere in the app (the health service's own included).</summary>
    private static IReadOnlyList<CapturedLogs.Entry> Warnings(SliceAuthApp app) =>
        app.Logs.Entries.Where(e => e.Level >= LogLevel.Warning
            && (e.Category == typeof(RedisWindowCounter).FullName || e.AllText.Contains("Redis") || e.AllText.Contains("rateLimits"))).ToList();

    private static async Task Eventually(Func<Task<bool>> condition)
    {
        var timer = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(timer.Elapsed < TimeSpan.FromSeconds(30), "Redis was not used again within 30 s of its return");
            await Task.Delay(200);
        }
    }

    private static int ClosedPort()
    {
        var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
