using System.Net;
using SliceAuth.Tests.Infrastructure;

namespace SliceAuth.Tests.Features.RevokeOtherSessions;

public sealed class RevokeOtherSessionsTests : AppTest
{
    [Fact]
    public async Task Every_other_session_of_mine_ends_and_mine_stays()
    {
        var mine = await Client.RegisterAndLogin("tara");
        var others = new[] { (await Client.Login("tara")).SessionCookie(), (await Client.Login("tara")).SessionCookie() };
        var stranger = await Client.RegisterAndLogin("uma");

        var response = await Client.Send(HttpMethod.Delete, "/me/sessions", mine);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        foreach (var other in others) await (await Client.Get("/protected", other)).Problem(HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.OK, (await Client.Get("/protected", mine)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Client.Get("/protected", stranger)).StatusCode); // other accounts untouched
        Assert.Single(await Client.Sessions(mine));
    }

    [Fact]
    public async Task Without_a_session_gets_401()
    {
        await (await Client.Send(HttpMethod.Delete, "/me/sessions")).Problem(HttpStatusCode.Unauthorized);
    }
}
