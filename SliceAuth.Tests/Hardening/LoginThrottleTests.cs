using System.Net;
using SliceAuth.Tests.Infrastructure;

namespace SliceAuth.Tests.Hardening;

/// <summary>Per account: the 11th consecutive failure within 15 minutes gets 429, known name or not.</summary>
public sealed class LoginThrottleTests : AppTest
{
    private async Task FailTimes(string username, int times)
    {
        for (var i = 0; i < times; i++)
            await (await Client.Login(username, $"wrong guess {i:D4}")).Problem(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task The_11th_failure_in_a_row_gets_429_with_Retry_After_even_with_the_right_password()
    {
        (await Client.Register("brute")).EnsureSuccessStatusCode();
        await FailTimes("brute", 10);

        var response = await Client.Login("brute");

        await response.Problem(HttpStatusCode.TooManyRequests);
        Assert.InRange(response.Headers.RetryAfter!.Delta!.Value, TimeSpan.FromMinutes(14), TimeSpan.FromMinutes(15));
    }

    [Fact]
    public async Task Known_and_unknown_usernames_are_throttled_alike()
    {
        (await Client.Register("known")).EnsureSuccessStatusCode();
        await FailTimes("known", 10);
        await FailTimes("unknown-name", 10);

        var known = await Client.Login("known", "wrong guess 9999");
        var unknown = await Client.Login("unknown-name", "wrong guess 9999");

        Assert.Equal(HttpStatusCode.TooManyRequests, known.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, unknown.StatusCode);
        Assert.Equal(known.Headers.RetryAfter, unknown.Headers.RetryAfter);
        Assert.Equal((await known.Json()).GetProperty("title").GetString(), (await unknown.Json()).GetProperty("title").GetString());
    }

    [Fact]
    public async Task A_success_resets_the_count()
    {
        (await Client.Register("forgetful")).EnsureSuccessStatusCode();
        await FailTimes("forgetful", 9);
        Assert.Equal(HttpStatusCode.OK, (await Client.Login("forgetful")).StatusCode);

        await FailTimes("forgetful", 9);

        Assert.Equal(HttpStatusCode.OK, (await Client.Login("forgetful")).StatusCode);
    }

    [Fact]
    public async Task Other_accounts_are_unaffected()
    {
        (await Client.Register("target")).EnsureSuccessStatusCode();
        (await Client.Register("bystander")).EnsureSuccessStatusCode();
        await FailTimes("target", 10);

        Assert.Equal(HttpStatusCode.OK, (await Client.Login("bystander")).StatusCode);
    }

    [Fact]
    public async Task The_account_opens_again_when_the_window_has_passed()
    {
        (await Client.Register("patient")).EnsureSuccessStatusCode();
        await FailTimes("patient", 10);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await Client.Login("patient")).StatusCode);

        App.Clock.Advance(TimeSpan.FromMinutes(15));

        Assert.Equal(HttpStatusCode.OK, (await Client.Login("patient")).StatusCode);
    }

    [Fact]
    public async Task Failures_spread_wider_than_the_window_never_lock()
    {
        (await Client.Register("slow")).EnsureSuccessStatusCode();
        for (var i = 0; i < 20; i++)
        {
            await (await Client.Login("slow", "wrong guess here")).Problem(HttpStatusCode.Unauthorized);
            App.Clock.Advance(TimeSpan.FromMinutes(2)); // 10 failures span 20 minutes
        }
    }

    [Fact]
    public async Task The_throttle_stays_on_when_per_client_limits_are_off()
    {
        // SliceAuthApp runs with RateLimiting:Enabled=false: the tests above already prove it; say it outright.
        Assert.Equal("false", App.Service<Microsoft.Extensions.Configuration.IConfiguration>()["RateLimiting:Enabled"]);
        await FailTimes("always-on", 10);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await Client.Login("always-on")).StatusCode);
    }
}
