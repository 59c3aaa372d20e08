using System.Net;
using SliceAuth.Tests.Infrastructure;

namespace SliceAuth.Tests.Features.RevokeOtherSessions;

public sealed class RevokeOtherSessionsTests : IDisposable
{
    private readonly SliceAuthApp _app = new();
    private readonly HttpClient _client;

    public RevokeOtherSessionsTests() => _client = _app.Client();

    [Fact]
    public async Task Every_other_session_of_mine_ends_and_mine_stays()
    {
        var mine = await _client.RegisterAndLogin("tara");
        var others = new[] { (await _client.Login("tara")).SessionCookie(), (await _client.Login("tara")).SessionCookie() };
        var stranger = await _client.RegisterAndLogin("uma");

        var response = await _client.Send(HttpMethod.Delete, "/me/sessions", mine);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        foreach (var other in others) await (await _client.Get("/protected", other)).Problem(HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.OK, (await _client.Get("/protected", mine)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _client.Get("/protected", stranger)).StatusCode); // other accounts untouched
        Assert.Single(await _client.Sessions(mine));
    }

    [Fact]
    public async Task Without_a_session_gets_401()
    {
        await (await _client.Send(HttpMethod.Delete, "/me/sessions")).Problem(HttpStatusCode.Unauthorized);
    }

    public void Dispose() => _app.Dispose();
}
