using System.Net;
using SliceAuth.Tests.Infrastructure;

namespace SliceAuth.Tests.Features.ForwardAuth;

/// <summary>GET /auth/verify as a reverse proxy asks it: the request's cookie decides, the user comes back in headers.</summary>
public sealed class ForwardAuthTests : AppTest
{
    [Fact]
    public async Task A_live_session_gets_200_with_an_empty_body_and_the_user_in_headers()
    {
        var cookie = await Client.RegisterAndLogin("alice_fwd");
        var id = (await (await Client.Get("/me", cookie)).Json()).GetProperty("id").GetString();

        var response = await Client.Get("/auth/verify", cookie);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(id, Assert.Single(response.Headers.GetValues("X-Auth-User-Id")));
        Assert.Equal("alice_fwd", Assert.Single(response.Headers.GetValues("X-Auth-Username")));
        Assert.False(response.Headers.Contains("Set-Cookie")); // nothing to re-issue: the session slides on the server
    }

    [Fact]
    public async Task A_username_beyond_ASCII_is_sent_percent_encoded_UTF_8()
    {
        var cookie = await Client.RegisterAndLogin("zoë");

        var response = await Client.Get("/auth/verify", cookie);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var value = Assert.Single(response.Headers.GetValues("X-Auth-Username"));
        Assert.Equal("zo%C3%AB", value);
        Assert.Equal("zoë", Uri.UnescapeDataString(value));
    }

    [Fact]
    public async Task No_cookie_gets_401_problem_without_user_headers_or_location()
    {
        var response = await Client.Get("/auth/verify");

        await response.Problem(HttpStatusCode.Unauthorized);
        Assert.False(response.Headers.Contains("X-Auth-User-Id"));
        Assert.False(response.Headers.Contains("X-Auth-Username"));
        Assert.Null(response.Headers.Location); // no ForwardAuth:LoginUrl configured
    }

    [Fact]
    public async Task A_garbage_cookie_gets_401()
    {
        await (await Client.Get("/auth/verify", "sliceauth=CfDJ8garbage")).Problem(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_logged_out_cookie_gets_401()
    {
        var cookie = await Client.RegisterAndLogin("leaver");
        Assert.Equal(HttpStatusCode.OK, (await Client.Get("/auth/verify", cookie)).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await Client.Logout(cookie)).StatusCode);

        await (await Client.Get("/auth/verify", cookie)).Problem(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_session_revoked_from_another_session_gets_401_and_the_other_still_200()
    {
        var lost = await Client.RegisterAndLogin("twodevices");
        var kept = (await Client.Login("twodevices")).SessionCookie();
        var lostId = (await Client.Sessions(lost)).Single(s => s.Current).Id;

        Assert.Equal(HttpStatusCode.NoContent, (await Client.Send(HttpMethod.Delete, $"/me/sessions/{lostId}", kept)).StatusCode);

        await (await Client.Get("/auth/verify", lost)).Problem(HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.OK, (await Client.Get("/auth/verify", kept)).StatusCode);
    }

    [Fact]
    public async Task Parallel_questions_about_one_session_all_get_its_user_and_after_logout_none_does()
    {
        var cookie = await Client.RegisterAndLogin("parallel");

        // A page with many assets: the proxy asks once per request, all at once.
        var live = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Client.Get("/auth/verify", cookie)));
        Assert.All(live, r => Assert.Equal("parallel", Assert.Single(r.Headers.GetValues("X-Auth-Username"))));

        Assert.Equal(HttpStatusCode.NoContent, (await Client.Logout(cookie)).StatusCode);
        var dead = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Client.Get("/auth/verify", cookie)));
        Assert.All(dead, r => Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode));
    }

    [Fact]
    public async Task An_idle_expired_session_gets_401()
    {
        var cookie = await Client.RegisterAndLogin("sleeper");

        App.Clock.Advance(TimeSpan.FromMinutes(30)); // Auth:IdleTimeout

        await (await Client.Get("/auth/verify", cookie)).Problem(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Being_asked_slides_the_idle_timeout_like_any_authenticated_request()
    {
        var cookie = await Client.RegisterAndLogin("browsing");

        // Only the proxy asks: 80 minutes in all, never 30 without a request.
        for (var i = 0; i < 4; i++)
        {
            App.Clock.Advance(TimeSpan.FromMinutes(20));
            Assert.Equal(HttpStatusCode.OK, (await Client.Get("/auth/verify", cookie)).StatusCode);
        }
        Assert.Equal(HttpStatusCode.OK, (await Client.Get("/protected", cookie)).StatusCode);
    }
}

/// <summary>Header names and the login location come from ForwardAuth:…</summary>
public sealed class ConfiguredForwardAuthTests() : AppTest(settings: new Dictionary<string, string?>
{
    ["ForwardAuth:UserIdHeader"] = "Remote-User-Id",
    ["ForwardAuth:UsernameHeader"] = "Remote-User",
    ["ForwardAuth:LoginUrl"] = "https://app.example.com/login?lang=en",
    ["ForwardAuth:ReturnHosts:0"] = "admin.example.com",
})
{
    private const string Login = "https://app.example.com/login?lang=en";

    [Fact]
    public async Task The_user_comes_back_in_the_configured_headers_only()
    {
        var cookie = await Client.RegisterAndLogin("renamed");

        var response = await Client.Get("/auth/verify", cookie);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("renamed", Assert.Single(response.Headers.GetValues("Remote-User")));
        Assert.True(Guid.TryParse(Assert.Single(response.Headers.GetValues("Remote-User-Id")), out _));
        Assert.False(response.Headers.Contains("X-Auth-Username"));
        Assert.False(response.Headers.Contains("X-Auth-User-Id"));
    }

    [Theory]
    // nginx: X-Original-URL $scheme://$http_host$request_uri
    [InlineData("X-Original-URL", "https://app.example.com/reports?year=2026&q=a b", "https%3A%2F%2Fapp.example.com%2Freports%3Fyear%3D2026%26q%3Da%2520b")]
    [InlineData("X-Original-URL", "https://admin.example.com/", "https%3A%2F%2Fadmin.example.com%2F")] // a configured return host
    [InlineData("X-Original-URL", "http://APP.example.com:8080/x", "http%3A%2F%2Fapp.example.com%3A8080%2Fx")]
    public async Task A_401_names_the_login_page_with_the_original_url_to_return_to(string header, string original, string rd)
    {
        var response = await Verify((header, original));

        await response.Problem(HttpStatusCode.Unauthorized);
        Assert.Equal($"{Login}&rd={rd}", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Traefik_and_Caddy_style_headers_are_reassembled()
    {
        var response = await Verify(("X-Forwarded-Proto", "https"), ("X-Forwarded-Host", "app.example.com"), ("X-Forwarded-Uri", "/a/b?c=d"));

        await response.Problem(HttpStatusCode.Unauthorized);
        Assert.Equal($"{Login}&rd=https%3A%2F%2Fapp.example.com%2Fa%2Fb%3Fc%3Dd", response.Headers.Location!.OriginalString);
    }

    [Theory]
    [InlineData("X-Original-URL", "https://evil.example/phish")]
    [InlineData("X-Original-URL", "https://app.example.com.evil.example/")]
    [InlineData("X-Original-URL", "https://app.example.com@evil.example/")]
    [InlineData("X-Original-URL", "javascript:alert(1)")]
    [InlineData("X-Original-URL", "//evil.example/")]
    [InlineData("X-Original-URL", "/relative/only")]
    [InlineData("X-Forwarded-Uri", "//evil.example/")] // with X-Forwarded-Host app.example.com below
    [InlineData("X-Forwarded-Uri", "/\\evil.example/")]
    public async Task An_original_url_off_the_allowed_hosts_is_not_passed_on(string header, string original)
    {
        var response = await Verify((header, original), ("X-Forwarded-Host", "app.example.com"));

        await response.Problem(HttpStatusCode.Unauthorized);
        Assert.Equal(Login, response.Headers.Location!.OriginalString); // still the login page, never a foreign return
        Assert.DoesNotContain("evil", response.Headers.Location.OriginalString);
    }

    [Fact]
    public async Task Two_original_urls_are_neither_trusted()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/auth/verify");
        request.Headers.TryAddWithoutValidation("X-Original-URL", ["https://app.example.com/a", "https://evil.example/"]);

        var response = await Client.SendAsync(request);

        Assert.Equal(Login, response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task A_live_session_gets_no_location()
    {
        var cookie = await Client.RegisterAndLogin("nolocation");
        var request = new HttpRequestMessage(HttpMethod.Get, "/auth/verify").WithCookie(cookie);
        request.Headers.TryAddWithoutValidation("X-Original-URL", "https://app.example.com/");

        var response = await Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(response.Headers.Location);
    }

    private Task<HttpResponseMessage> Verify(params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/auth/verify");
        foreach (var (name, value) in headers) request.Headers.TryAddWithoutValidation(name, value);
        return Client.SendAsync(request);
    }
}
