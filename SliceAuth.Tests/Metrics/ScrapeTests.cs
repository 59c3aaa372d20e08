using System.Net;
using System.Text.RegularExpressions;
using SliceAuth.Tests.Infrastructure;

namespace SliceAuth.Tests.Metrics;

/// <summary>
/// A scripted run through the real pipeline, then /metrics as an operator's Prometheus reads it: every counter
/// moved by exactly what the run did, and no label names a user or an address.
/// </summary>
[Collection(MetricsCollection.Name)]
public sealed partial class ScrapeTests() : AppTest(settings: Settings, services: ClientAddress.Is(ClientIp))
{
    private const string ClientIp = "127.0.0.42";

    private static readonly IReadOnlyDictionary<string, string?> Settings = new Dictionary<string, string?>
    {
        ["Metrics:Enabled"] = "true",
        ["Auth:LoginThrottle:MaxFailures"] = "3",
        ["RateLimiting:Enabled"] = "true",
        ["RateLimiting:Register:PermitLimit"] = "3",
        ["RateLimiting:Login:PermitLimit"] = "100",
    };

    private readonly string _alice = Api.Unique("alice");
    private readonly string _bob = Api.Unique("bob");

    [Fact]
    public async Task Each_counter_moves_by_exactly_what_the_run_did()
    {
        var before = await Scrape();

        Assert.Equal(HttpStatusCode.Created, (await Client.Register(_alice)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await Client.Register(_bob)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await Client.Register(_alice)).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await Client.Register(Api.Unique("carol"))).StatusCode); // the fourth from this client

        var alice1 = await LoggedIn(_alice);
        var alice2 = await LoggedIn(_alice);
        var bob = await LoggedIn(_bob);
        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await Client.Login(_alice, "not the password at all")).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await Client.Login(_alice)).StatusCode); // Auth:LoginThrottle

        foreach (var cookie in new[] { alice1, alice2, bob })
            Assert.Equal(HttpStatusCode.OK, (await Client.Get("/protected", cookie)).StatusCode);
        var middle = await Scrape();

        var other = Assert.Single(await Client.Sessions(alice1), s => !s.Current).Id;
        Assert.Equal(HttpStatusCode.NoContent, (await Client.Send(HttpMethod.Delete, $"/me/sessions/{other}", alice1)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await Client.Logout(alice1)).StatusCode);
        App.Clock.Advance(TimeSpan.FromMinutes(31)); // past Auth:IdleTimeout
        Assert.Equal(HttpStatusCode.Unauthorized, (await Client.Get("/protected", bob)).StatusCode);

        var after = await Scrape();
        double Delta(string name, params (string, string)[] labels) => after.Delta(before, name, labels);

        Assert.Equal(2, Delta("sliceauth_registrations_total", ("outcome", "created")));
        Assert.Equal(1, Delta("sliceauth_registrations_total", ("outcome", "conflict")));
        Assert.Equal(1, Delta("sliceauth_rate_limit_rejections_total", ("policy", "register")));
        Assert.Equal(0, Delta("sliceauth_rate_limit_rejections_total", ("policy", "login")));
        Assert.Equal(3, Delta("sliceauth_logins_total", ("outcome", "succeeded")));
        Assert.Equal(3, Delta("sliceauth_logins_total", ("outcome", "failed")));
        Assert.Equal(1, Delta("sliceauth_logins_total", ("outcome", "throttled")));
        Assert.Equal(0, Delta("sliceauth_logins_total", ("outcome", "overloaded")));
        Assert.Equal(7, Delta("sliceauth_logins_total"));
        Assert.Equal(3, Delta("sliceauth_sessions_started_total"));
        Assert.Equal(1, Delta("sliceauth_sessions_ended_total", ("reason", "logout")));
        Assert.Equal(1, Delta("sliceauth_sessions_ended_total", ("reason", "revoked")));
        Assert.Equal(1, Delta("sliceauth_sessions_ended_total", ("reason", "expired")));
        Assert.Equal(3, Delta("sliceauth_sessions_ended_total"));
        // bcrypt: three registrations hashed (the conflict too: the store decides after the hash), six logins
        // checked; the throttled one and the rate-limited registration never reached it.
        Assert.Equal(9, Delta("sliceauth_password_queue_wait_seconds_count"));
        Assert.Equal(9, Delta("sliceauth_password_duration_seconds_count"));
        Assert.True(Delta("sliceauth_password_duration_seconds_sum") > 0);
        Assert.Equal(0, Delta("sliceauth_password_refused_total"));
        Assert.Equal(0, Delta("sliceauth_storage_faults_total"));
        // The gauge: the three sessions used on this instance, then none once each has ended.
        Assert.Equal(3, middle.Value("sliceauth_sessions_live"));
        Assert.Equal(0, after.Value("sliceauth_sessions_live"));
        // ASP.NET Core's own server meter is exported beside ours.
        Assert.True(after.Value("http_server_request_duration_seconds_count", ("http_route", "/login")) > 0, after.Text);
    }

    [Fact]
    public async Task No_label_carries_a_username_or_an_address()
    {
        Assert.Equal(HttpStatusCode.Created, (await Client.Register(_alice)).StatusCode);
        var cookie = await LoggedIn(_alice);
        await Client.Login(_alice, "not the password at all");
        await Client.Get("/protected", cookie);
        await Client.Logout(cookie);

        var scrape = await Scrape();

        Assert.True(scrape.Has("sliceauth_logins_total"), scrape.Text);
        foreach (var sample in scrape.Samples)
            foreach (var (label, value) in sample.Labels)
            {
                Assert.DoesNotContain(_alice, value, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain(ClientIp, value);
                Assert.False(IpAddress().IsMatch(value), $"{sample.Name}{{{label}=\"{value}\"}} looks like an address");
            }
    }

    [Fact]
    public async Task Metrics_is_not_in_the_OpenAPI_document()
    {
        Assert.Equal(HttpStatusCode.OK, (await Client.Get("/metrics")).StatusCode);
        var document = await Client.GetStringAsync("/openapi/v1.json");

        Assert.Contains("\"/login\"", document);
        Assert.DoesNotContain("/metrics", document);
    }

    private async Task<string> LoggedIn(string username)
    {
        var login = await Client.Login(username);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        return login.SessionCookie();
    }

    private Task<PrometheusText> Scrape() => Client.Scrape();

    // A dotted IPv4 address, or an IPv6 one (two colons or a run of hex groups).
    [GeneratedRegex(@"\b\d{1,3}(\.\d{1,3}){3}\b|::|([0-9a-fA-F]{1,4}:){3,}")]
    private static partial Regex IpAddress();
}
