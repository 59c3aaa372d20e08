using SliceAuth.Data.LiteDb;
using System.Net;
using SliceAuth.Data;
using SliceAuth.Tests.Infrastructure;

namespace SliceAuth.Tests.Features.Me;

public sealed class MeTests : AppTest
{
    [Fact]
    public async Task A_session_gets_its_account_as_registered()
    {
        var registered = await (await Client.Register(" Liam ", " liam@example.com ")).Json();
        var cookie = (await Client.Login("liam")).SessionCookie();

        var response = await Client.Get("/me", cookie);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var me = await response.Json();
        Assert.Equal(registered.GetProperty("id").GetString(), me.GetProperty("id").GetString());
        Assert.Equal("Liam", me.GetProperty("username").GetString());
        Assert.Equal("liam@example.com", me.GetProperty("email").GetString());
        Assert.Equal(registered.GetProperty("createdAt").GetString(), me.GetProperty("createdAt").GetString());
        Assert.False(me.GetProperty("emailVerified").GetBoolean()); // no link opened yet
        Assert.False(me.GetProperty("twoFactorEnabled").GetBoolean());
        Assert.Equal(0, me.GetProperty("recoveryCodesLeft").GetInt32());
        Assert.Equal(7, me.EnumerateObject().Count()); // no hash, no keys, no TOTP secret
    }

    [Fact]
    public async Task No_session_gets_401_problem()
    {
        var response = await Client.Get("/me");

        await response.Problem(HttpStatusCode.Unauthorized);
        Assert.Null(response.Headers.Location);
    }

    [Fact]
    public async Task A_session_whose_account_is_gone_gets_401()
    {
        var cookie = await Client.RegisterAndLogin("mia");
        App.DeleteAllStoredUsers();

        await (await Client.Get("/me", cookie)).Problem(HttpStatusCode.Unauthorized);
    }
}
