using System.Net;
using SliceAuth.Tests.Infrastructure;

namespace SliceAuth.Tests.Features.PasskeyLogin;

public sealed class PasskeyLoginTests : AppTest
{
    [Fact]
    public async Task A_registered_passkey_logs_in_without_a_username_and_the_session_works()
    {
        var password = await Client.RegisterAndLogin("paula");
        using var passkey = new SoftwareAuthenticator();
        await Client.RegisterPasskey(password, passkey);

        var login = await Client.PasskeyLogin(passkey.Get(await Client.LoginOptions()));

        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.Equal("paula", (await login.Json()).GetProperty("username").GetString());
        var me = await Client.Get("/me", login.SessionCookie());
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        Assert.Equal("paula", (await me.Json()).GetProperty("username").GetString());
        Assert.NotNull(Assert.Single(await Client.Passkeys(password)).GetProperty("lastUsedAt").GetString());
        Assert.Contains(App.Logs.Entries, e => e.EventName == "passkey.login_succeeded" && e.AllText.Contains("paula"));
    }
}
