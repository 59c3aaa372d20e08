using SliceAuth.Data.LiteDb;
using System.Net;
using System.Net.Http.Json;
using SliceAuth.Data;
using SliceAuth.Tests.Infrastructure;

namespace SliceAuth.Tests.Hardening;

/// <summary>Unsafe methods from another site get 403 and change nothing; clients without browser headers pass.</summary>
public sealed class CrossSiteTests() : AppTest(settings: new Dictionary<string, string?> { ["Cors:AllowedOrigins:0"] = "https://app.example.com" })
{
    private static HttpRequestMessage RegisterFrom(string? origin, string? fetchSite, string username)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/register")
        {
            Content = JsonContent.Create(new { username, email = $"{username}@example.com", password = Api.Password }),
        };
        if (origin is not null) request.Headers.TryAddWithoutValidation("Origin", origin);
        if (fetchSite is not null) request.Headers.TryAddWithoutValidation("Sec-Fetch-Site", fetchSite);
        return request;
    }

    [Theory]
    [InlineData("https://evil.example", null)]
    [InlineData("null", null)]
    [InlineData("http://localhost:8080", null)]   // same host, another port: another origin
    [InlineData("https://localhost", null)]       // another scheme
    [InlineData(null, "cross-site")]
    [InlineData("http://localhost", "cross-site")]
    public async Task Cross_site_unsafe_requests_get_403_and_change_nothing(string? origin, string? fetchSite)
    {
        var response = await Client.SendAsync(RegisterFrom(origin, fetchSite, "csrf1"));

        await response.Problem(HttpStatusCode.Forbidden);
        Assert.Equal(0, App.StoredUserCount());
    }

    [Fact]
    public async Task Login_CSRF_is_refused()
    {
        (await Client.Register("attacker")).EnsureSuccessStatusCode();
        var request = new HttpRequestMessage(HttpMethod.Post, "/login") { Content = JsonContent.Create(new { username = "attacker", password = Api.Password }) };
        request.Headers.TryAddWithoutValidation("Origin", "https://evil.example");

        var response = await Client.SendAsync(request);

        await response.Problem(HttpStatusCode.Forbidden);
        Assert.False(response.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task A_logout_from_another_site_logs_nobody_out()
    {
        var cookie = await Client.RegisterAndLogin("stayin");
        var request = new HttpRequestMessage(HttpMethod.Post, "/logout").WithCookie(cookie);
        request.Headers.TryAddWithoutValidation("Sec-Fetch-Site", "cross-site");

        await (await Client.SendAsync(request)).Problem(HttpStatusCode.Forbidden);

        Assert.Equal(HttpStatusCode.OK, (await Client.Get("/protected", cookie)).StatusCode);
    }

    [Theory]
    [InlineData(null, null)]                          // curl, Postman, servers
    [InlineData("http://localhost", "same-origin")]   // the Swagger page on this server
    [InlineData("https://app.example.com", "same-site")] // listed in Cors:AllowedOrigins
    [InlineData(null, "none")]                        // typed into the address bar
    public async Task Same_origin_allowed_and_headerless_requests_pass(string? origin, string? fetchSite)
    {
        var response = await Client.SendAsync(RegisterFrom(origin, fetchSite, "fine1"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task Safe_methods_from_another_site_are_not_refused()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/health/live");
        request.Headers.TryAddWithoutValidation("Origin", "https://evil.example");
        request.Headers.TryAddWithoutValidation("Sec-Fetch-Site", "cross-site");

        Assert.Equal(HttpStatusCode.OK, (await Client.SendAsync(request)).StatusCode);
    }

    [Fact]
    public async Task An_allowed_origin_gets_CORS_headers_with_credentials()
    {
        var preflight = new HttpRequestMessage(HttpMethod.Options, "/login");
        preflight.Headers.TryAddWithoutValidation("Origin", "https://app.example.com");
        preflight.Headers.TryAddWithoutValidation("Access-Control-Request-Method", "POST");
        preflight.Headers.TryAddWithoutValidation("Access-Control-Request-Headers", "content-type");

        var response = await Client.SendAsync(preflight);

        Assert.Equal("https://app.example.com", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Equal("true", response.Headers.GetValues("Access-Control-Allow-Credentials").Single());
    }
}
