using SliceAuth.Data.LiteDb;
using System.Net;
using SliceAuth.Data;
using SliceAuth.Tests.Infrastructure;

namespace SliceAuth.Tests.Features.Logout;

public sealed class LogoutTests : AppTest
{
    [Fact]
    public async Task Logout_gets_204_and_clears_the_cookie()
    {
        var cookie = await Client.RegisterAndLogin("henry");

        var response = await Client.Logout(cookie);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var setCookie = response.SetCookieHeader().ToLowerInvariant();
        Assert.StartsWith("sliceauth=;", setCookie);
        Assert.Contains("expires=thu, 01 jan 1970", setCookie);
    }

    [Fact]
    public async Task A_replayed_copy_of_a_logged_out_cookie_gets_401()
    {
        var cookie = await Client.RegisterAndLogin("ivy");
        var copy = cookie; // what an attacker kept

        await Client.Logout(cookie);

        await (await Client.Get("/protected", copy)).Problem(HttpStatusCode.Unauthorized);
        await (await Client.Get("/me", copy)).Problem(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Logout_deletes_the_server_side_session()
    {
        var cookie = await Client.RegisterAndLogin("jack");
        Assert.Equal(1, App.StoredSessionCount());

        await Client.Logout(cookie);

        Assert.Equal(0, App.StoredSessionCount());
    }

    [Fact]
    public async Task Logout_without_a_session_gets_204()
    {
        Assert.Equal(HttpStatusCode.NoContent, (await Client.Logout()).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await Client.Logout("sliceauth=garbage")).StatusCode);
    }

    [Fact]
    public async Task Logout_ends_only_its_own_session()
    {
        var laptop = await Client.RegisterAndLogin("kate");
        var phone = (await Client.Login("kate")).SessionCookie();

        await Client.Logout(laptop);

        Assert.Equal(HttpStatusCode.OK, (await Client.Get("/protected", phone)).StatusCode);
    }
}
