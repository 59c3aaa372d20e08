using System.Net;
using SliceAuth.Tests.Infrastructure;

namespace SliceAuth.Tests.Features.PasskeyLogin;

/// <summary>The passkey routes share the per-client login budget with POST /login: a passkey is no way round the brake.</summary>
public sealed class PasskeyLoginRateLimitTests() : AppTest(settings: new Dictionary<string, string?>
{
    ["RateLimiting:Enabled"] = "true",
    ["RateLimiting:Login:PermitLimit"] = "3",
    ["RateLimiting:Login:Window"] = "00:01:00",
})
{
    [Fact]
    public async Task Options_and_logins_count_with_password_logins_and_the_next_is_429()
    {
        await Client.Login("nobody", "wrong password here");
        var options = await Client.LoginOptions();
        using var stranger = new SoftwareAuthenticator();
        await (await Client.PasskeyLogin(stranger.Get(options))).Problem(HttpStatusCode.Unauthorized);

        var limited = await Client.Send(HttpMethod.Post, "/login/passkey/options");

        await limited.Problem(HttpStatusCode.TooManyRequests);
        Assert.True(limited.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        await (await Client.PasskeyLogin(stranger.Get(options))).Problem(HttpStatusCode.TooManyRequests);
    }
}
