using System.Net;
using SliceAuth.Tests.Infrastructure;

namespace SliceAuth.Tests.Hardening;

/// <summary>Per client address on /login and /register: every request counts; 429 with Retry-After, never 503.</summary>
public sealed class ClientRateLimitTests() : AppTest(settings: Limits)
{
    private static readonly IReadOnlyDictionary<string, string?> Limits = new Dictionary<string, string?>
    {
        ["RateLimiting:Enabled"] = "true",
        ["RateLimiting:Login:PermitLimit"] = "5",
        ["RateLimiting:Login:Window"] = "00:01:00",
        ["RateLimiting:Register:PermitLimit"] = "3",
        ["RateLimiting:Register:Window"] = "00:10:00",
    };

    [Fact]
    public async Task Login_requests_over_the_limit_get_429_with_Retry_After_valid_or_not()
    {
        var client = App.Client();
        await client.PostRaw("/login", "{}");                   // invalid: counts
        await client.PostRaw("/login", "not json");             // malformed: counts
        for (var i = 0; i < 3; i++) await client.Login($"someone{i}", "wrong password here");

        var response = await client.Login("someone", "wrong password here");

        await response.Problem(HttpStatusCode.TooManyRequests);
        Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero);
    }

    [Fact]
    public async Task Register_requests_over_the_limit_get_429()
    {
        var client = App.Client();
        for (var i = 0; i < 3; i++) await client.Register($"limited{i}");

        await (await client.Register("limited9")).Problem(HttpStatusCode.TooManyRequests);
        Assert.Equal(3, App.StoredUserCount());
    }

    [Fact]
    public async Task Other_routes_are_not_limited()
    {
        var client = App.Client();
        for (var i = 0; i < 20; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.Get("/protected")).StatusCode);
    }
}
