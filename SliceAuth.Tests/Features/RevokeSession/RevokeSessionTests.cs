using System.Net;
using SliceAuth.Tests.Infrastructure;

namespace SliceAuth.Tests.Features.RevokeSession;

public sealed class RevokeSessionTests : AppTest
{
    [Fact]
    public async Task Revoking_another_session_of_mine_kills_its_cookie_at_once()
    {
        var laptop = await Client.RegisterAndLogin("quinn");
        var lostPhone = (await Client.Login("quinn")).SessionCookie();
        var phoneId = (await Client.Sessions(laptop)).Single(s => !s.Current).Id;

        var response = await Client.Send(HttpMethod.Delete, $"/me/sessions/{phoneId}", laptop);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        await (await Client.Get("/protected", lostPhone)).Problem(HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.OK, (await Client.Get("/protected", laptop)).StatusCode);
    }

    [Fact]
    public async Task Revoking_the_current_session_logs_it_out_and_clears_the_cookie()
    {
        var cookie = await Client.RegisterAndLogin("rita");
        var id = (await Client.Sessions(cookie)).Single().Id;

        var response = await Client.Send(HttpMethod.Delete, $"/me/sessions/{id}", cookie);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Contains("expires=thu, 01 jan 1970", response.SetCookieHeader().ToLowerInvariant());
        await (await Client.Get("/protected", cookie)).Problem(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Another_users_session_is_404_and_stays_alive()
    {
        var mallory = await Client.RegisterAndLogin("mallory");
        var victim = await Client.RegisterAndLogin("victim");
        var victimId = (await Client.Sessions(victim)).Single().Id;

        await (await Client.Send(HttpMethod.Delete, $"/me/sessions/{victimId}", mallory)).Problem(HttpStatusCode.NotFound);

        Assert.Equal(HttpStatusCode.OK, (await Client.Get("/protected", victim)).StatusCode);
    }

    [Fact]
    public async Task An_unknown_id_is_404()
    {
        var cookie = await Client.RegisterAndLogin("sam");

        await (await Client.Send(HttpMethod.Delete, "/me/sessions/no-such-session", cookie)).Problem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Without_a_session_gets_401()
    {
        await (await Client.Send(HttpMethod.Delete, "/me/sessions/anything")).Problem(HttpStatusCode.Unauthorized);
    }
}
