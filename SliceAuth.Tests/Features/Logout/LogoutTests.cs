using System.Net;
using SliceAuth.Data;
using SliceAuth.Tests.Infrastructure;

namespace SliceAuth.Tests.Features.Logout;

public sealed class LogoutTests : IDisposable
{
    private readonly SliceAuthApp _app = new();
    private readonly HttpClient _client;

    public LogoutTests() => _client = _app.Client();

    [Fact]
    public async Task Logout_gets_204_and_clears_the_cookie()
    {
        var cookie = await _client.RegisterAndLogin("henry");

        var response = await _client.Logout(cookie);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var setCookie = response.SetCookieHeader().ToLowerInvariant();
        Assert.StartsWith("sliceauth=;", setCookie);
        Assert.Contains("expires=thu, 01 jan 1970", setCookie);
    }

    [Fact]
    public async Task A_replayed_copy_of_a_logged_out_cookie_gets_401()
    {
        var cookie = await _client.RegisterAndLogin("ivy");
        var copy = cookie; // what an attacker kept

        await _client.Logout(cookie);

        await (await _client.Get("/protected", copy)).Problem(HttpStatusCode.Unauthorized);
        await (await _client.Get("/me", copy)).Problem(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Logout_deletes_the_server_side_session()
    {
        var cookie = await _client.RegisterAndLogin("jack");
        var sessions = _app.Service<AppDatabase>().Sessions;
        Assert.Equal(1, sessions.Count());

        await _client.Logout(cookie);

        Assert.Equal(0, sessions.Count());
    }

    [Fact]
    public async Task Logout_without_a_session_gets_204()
    {
        Assert.Equal(HttpStatusCode.NoContent, (await _client.Logout()).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await _client.Logout("sliceauth=garbage")).StatusCode);
    }

    [Fact]
    public async Task Logout_ends_only_its_own_session()
    {
        var laptop = await _client.RegisterAndLogin("kate");
        var phone = (await _client.Login("kate")).SessionCookie();

        await _client.Logout(laptop);

        Assert.Equal(HttpStatusCode.OK, (await _client.Get("/protected", phone)).StatusCode);
    }

    public void Dispose() => _app.Dispose();
}
