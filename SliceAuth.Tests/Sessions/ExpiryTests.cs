using SliceAuth.Data.LiteDb;
using System.Net;
using SliceAuth.Auth;
using SliceAuth.Data;
using SliceAuth.Tests.Infrastructure;

namespace SliceAuth.Tests.Sessions;

/// <summary>Idle and absolute limits are the server's, whatever the cookie says.</summary>
public sealed class ExpiryTests : AppTest
{
    [Fact]
    public async Task A_session_idle_for_the_idle_timeout_is_refused()
    {
        var cookie = await Client.RegisterAndLogin("idle");

        App.Clock.Advance(TimeSpan.FromMinutes(30));

        await (await Client.Get("/protected", cookie)).Problem(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Activity_slides_the_idle_timeout()
    {
        var cookie = await Client.RegisterAndLogin("active");

        for (var i = 0; i < 4; i++)
        {
            App.Clock.Advance(TimeSpan.FromMinutes(20)); // 80 minutes in all, never 30 idle
            Assert.Equal(HttpStatusCode.OK, (await Client.Get("/protected", cookie)).StatusCode);
        }
    }

    [Fact]
    public async Task An_active_session_ends_at_the_absolute_timeout()
    {
        var cookie = await Client.RegisterAndLogin("marathon");

        for (var elapsed = TimeSpan.Zero; elapsed < TimeSpan.FromHours(12) - TimeSpan.FromMinutes(20); elapsed += TimeSpan.FromMinutes(20))
        {
            App.Clock.Advance(TimeSpan.FromMinutes(20));
            Assert.Equal(HttpStatusCode.OK, (await Client.Get("/protected", cookie)).StatusCode);
        }
        App.Clock.Advance(TimeSpan.FromMinutes(20));

        await (await Client.Get("/protected", cookie)).Problem(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Timeouts_come_from_configuration()
    {
        using var app = new SliceAuthApp(settings: new Dictionary<string, string?> { ["Auth:IdleTimeout"] = "00:05:00" });
        var client = app.Client();
        var cookie = await client.RegisterAndLogin("short");

        app.Clock.Advance(TimeSpan.FromMinutes(4));
        Assert.Equal(HttpStatusCode.OK, (await client.Get("/protected", cookie)).StatusCode);
        app.Clock.Advance(TimeSpan.FromMinutes(5));
        await (await client.Get("/protected", cookie)).Problem(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Expired_sessions_are_purged_from_the_database()
    {
        var stale = await Client.RegisterAndLogin("stale");
        App.Clock.Advance(TimeSpan.FromMinutes(31));
        var fresh = (await Client.Login("stale")).SessionCookie();
        Assert.Equal(2, App.StoredSessionCount());

        var purged = await App.Service<SessionStore>().PurgeExpiredAsync();

        Assert.Equal(1, purged);
        Assert.Equal(1, App.StoredSessionCount());
        Assert.Equal(HttpStatusCode.OK, (await Client.Get("/protected", fresh)).StatusCode);
        await (await Client.Get("/protected", stale)).Problem(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task The_cookie_carries_256_random_bits_and_the_database_only_their_hash()
    {
        var cookie = await Client.RegisterAndLogin("hashed");

        var session = Assert.Single(App.StoredSessions());

        Assert.DoesNotContain(session.Id, cookie);
        Assert.Equal(43, session.Id.Length); // base64url SHA-256
        var token = Microsoft.AspNetCore.WebUtilities.WebEncoders.Base64UrlDecode(cookie.Split('=', 2)[1]);
        Assert.Equal(32, token.Length); // 256 random bits in the cookie (ASVS asks for at least 64, the issue 128)
    }
}
