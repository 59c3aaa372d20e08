using System.Net;
using SliceAuth.Tests.Infrastructure;

namespace SliceAuth.Tests.Features.ListSessions;

public sealed class ListSessionsTests : AppTest
{
    [Fact]
    public async Task Lists_every_live_session_of_the_account_marking_the_current_one()
    {
        var laptop = await Client.RegisterAndLogin("nora");
        var phone = new HttpRequestMessage(HttpMethod.Post, "/login") { Content = System.Net.Http.Json.JsonContent.Create(new { username = "nora", password = Api.Password }) };
        phone.Headers.UserAgent.ParseAdd("PhoneBrowser/1.0");
        (await Client.SendAsync(phone)).EnsureSuccessStatusCode();
        await Client.RegisterAndLogin("other"); // not nora's

        var response = await Client.Get("/me/sessions", laptop);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var sessions = (await response.Json()).EnumerateArray().ToList();
        Assert.Equal(2, sessions.Count);
        Assert.Single(sessions, s => s.GetProperty("current").GetBoolean());
        Assert.Contains(sessions, s => s.GetProperty("userAgent").GetString() == "PhoneBrowser/1.0");
        foreach (var s in sessions)
        {
            Assert.Equal(["createdAt", "current", "expiresAt", "id", "ipAddress", "lastSeenAt", "userAgent"], s.EnumerateObject().Select(p => p.Name).Order());
            Assert.True(s.GetProperty("expiresAt").GetDateTime() > s.GetProperty("lastSeenAt").GetDateTime());
        }
    }

    [Fact]
    public async Task The_id_is_a_public_handle_never_the_cookie_token()
    {
        var cookie = await Client.RegisterAndLogin("olive");
        var token = cookie.Split('=', 2)[1];

        var text = await (await Client.Get("/me/sessions", cookie)).Content.ReadAsStringAsync();

        Assert.DoesNotContain(token, text);
        var session = Assert.Single(App.StoredSessions());
        Assert.DoesNotContain(session.Id, text); // nor the token's stored hash
    }

    [Fact]
    public async Task Expired_sessions_are_not_listed()
    {
        var old = await Client.RegisterAndLogin("pablo");
        App.Clock.Advance(TimeSpan.FromMinutes(29));
        var fresh = (await Client.Login("pablo")).SessionCookie();
        App.Clock.Advance(TimeSpan.FromMinutes(2)); // old: 31 idle minutes

        Assert.Single(await Client.Sessions(fresh));
    }

    [Fact]
    public async Task Without_a_session_gets_401()
    {
        await (await Client.Get("/me/sessions")).Problem(HttpStatusCode.Unauthorized);
    }
}
