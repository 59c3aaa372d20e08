using SliceAuth.Data.LiteDb;
using System.Net;
using SliceAuth.Data;
using SliceAuth.Tests.Infrastructure;

namespace SliceAuth.Tests.Features.DeleteAccount;

public sealed class DeleteAccountTests : AppTest
{
    [Fact]
    public async Task Deleting_the_account_ends_every_session_and_frees_the_name_and_email()
    {
        (await Client.Register("zack", "zack@example.com")).EnsureSuccessStatusCode();
        var mine = (await Client.Login("zack")).SessionCookie();
        var other = (await Client.Login("zack")).SessionCookie();

        var response = await Client.Send(HttpMethod.Delete, "/me", mine, new { password = Api.Password });

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Contains("expires=thu, 01 jan 1970", response.SetCookieHeader().ToLowerInvariant());
        await (await Client.Get("/me", mine)).Problem(HttpStatusCode.Unauthorized);
        await (await Client.Get("/protected", other)).Problem(HttpStatusCode.Unauthorized);
        await (await Client.Login("zack")).Problem(HttpStatusCode.Unauthorized);
        Assert.Equal(0, App.StoredSessionCount());
        Assert.Equal(HttpStatusCode.Created, (await Client.Register("ZACK", "Zack@Example.com")).StatusCode);
    }

    [Fact]
    public async Task A_wrong_password_is_400_on_password_and_deletes_nothing()
    {
        var cookie = await Client.RegisterAndLogin("yusuf");

        var problem = await (await Client.Send(HttpMethod.Delete, "/me", cookie, new { password = "not the password!" })).Problem(HttpStatusCode.BadRequest);

        Assert.NotEmpty(problem.FieldErrors("password"));
        Assert.Equal(HttpStatusCode.OK, (await Client.Get("/me", cookie)).StatusCode);
    }

    [Fact]
    public async Task Without_a_session_gets_401()
    {
        await (await Client.Send(HttpMethod.Delete, "/me", json: new { password = Api.Password })).Problem(HttpStatusCode.Unauthorized);
    }
}
