using System.Net;
using SliceAuth.Tests.Infrastructure;

namespace SliceAuth.Tests.Features.RevokeSession;

public sealed class RevokeSessionTests : IDisposable
{
    private readonly SliceAuthApp _app = new();
    private readonly HttpClient _client;

    public RevokeSessionTests() => _client = _app.Client();

    [Fact]
    public async Task Revoking_another_session_of_mine_kills_its_cookie_at_once()
    {
        var laptop = await _client.RegisterAndLogin("quinn");
        var lostPhone = (await _client.Login("quinn")).SessionCookie();
        var phoneId = (await _client.Sessions(laptop)).Single(s => !s.Current).Id;

        var response = await _client.Send(HttpMethod.Delete, $"/me/sessions/{phoneId}", laptop);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        await (await _client.Get("/protected", lostPhone)).Problem(HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.OK, (await _client.Get("/protected", laptop)).StatusCode);
    }

    [Fact]
    public async Task Revoking_the_current_session_logs_it_out_and_clears_the_cookie()
    {
        var cookie = await _client.RegisterAndLogin("rita");
        var id = (await _client.Sessions(cookie)).Single().Id;

        var response = await _client.Send(HttpMethod.Delete, $"/me/sessions/{id}", cookie);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Contains("expires=thu, 01 jan 1970", response.SetCookieHeader().ToLowerInvariant());
        await (await _client.Get("/protected", cookie)).Problem(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Another_users_session_is_404_and_stays_alive()
    {
        var mallory = await _client.RegisterAndLogin("mallory");
        var victim = await _client.RegisterAndLogin("victim");
        var victimId = (await _client.Sessions(victim)).Single().Id;

        await (await _client.Send(HttpMethod.Delete, $"/me/sessions/{victimId}", mallory)).Problem(HttpStatusCode.NotFound);

        Assert.Equal(HttpStatusCode.OK, (await _client.Get("/protected", victim)).StatusCode);
    }

    [Fact]
    public async Task An_unknown_id_is_404()
    {
        var cookie = await _client.RegisterAndLogin("sam");

        await (await _client.Send(HttpMethod.Delete, "/me/sessions/no-such-session", cookie)).Problem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Without_a_session_gets_401()
    {
        await (await _client.Send(HttpMethod.Delete, "/me/sessions/anything")).Problem(HttpStatusCode.Unauthorized);
    }

    public void Dispose() => _app.Dispose();
}
