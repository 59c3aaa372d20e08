using System.Diagnostics;
using System.Net;
using SliceAuth.Tests.Infrastructure;

namespace SliceAuth.Tests.Storage.Postgres;

/// <summary>
/// Two instances on one PostgreSQL database agree on every session: a revocation on one is refused by the
/// other (through LISTEN/NOTIFY in the default mode, at once with Sessions:Cache=Off), whoever deleted it.
/// The 100 ms bound is measured by the cluster check (tools/reliability, cluster-revocation), not timed here.
/// </summary>
[Trait("Storage", "Postgres")]
public sealed class SeveralInstancesTests : PostgresCluster
{
    private static readonly TimeSpan Propagation = TimeSpan.FromSeconds(5);

    /// <summary>The feed's promise (PostgresSessionRemovalFeed.TrustFor), and the request's own travel.</summary>
    private static readonly TimeSpan TrustBound = SliceAuth.Data.Postgres.PostgresSessionRemovalFeed.TrustFor + TimeSpan.FromMilliseconds(50);

    /// <summary>Polls B until it refuses the cookie; fails if it never does within the (generous) limit.</summary>
    private static async Task AssertRefusedSoon(HttpClient b, string cookie)
    {
        var clock = Stopwatch.StartNew();
        while ((await b.Get("/protected", cookie)).StatusCode != HttpStatusCode.Unauthorized)
        {
            Assert.True(clock.Elapsed < Propagation, "the other instance kept serving a revoked session");
            await Task.Delay(5);
        }
    }

    [Fact]
    public async Task A_logout_on_one_instance_is_refused_by_the_other_whose_cache_held_it()
    {
        var (a, b) = (Instance().Client(), Instance().Client());
        await AwaitListeners(2);
        var cookie = await a.RegisterAndLogin(Api.Unique());
        Assert.Equal(HttpStatusCode.OK, (await b.Get("/protected", cookie)).StatusCode); // now in B's memory

        Assert.Equal(HttpStatusCode.NoContent, (await a.Logout(cookie)).StatusCode);

        await AssertRefusedSoon(b, cookie);
    }

    [Fact]
    public async Task A_password_change_on_one_instance_ends_the_other_sessions_on_every_instance()
    {
        var (a, b) = (Instance().Client(), Instance().Client());
        await AwaitListeners(2);
        var name = Api.Unique();
        var first = await a.RegisterAndLogin(name);
        var second = (await b.Login(name)).SessionCookie();
        Assert.Equal(HttpStatusCode.OK, (await b.Get("/protected", first)).StatusCode);

        var change = await a.Send(HttpMethod.Post, "/me/password", first, new { currentPassword = Api.Password, newPassword = "a brand new passphrase 42" });
        Assert.True(change.IsSuccessStatusCode);

        await AssertRefusedSoon(b, first);
        await AssertRefusedSoon(b, second);
        Assert.Equal(HttpStatusCode.OK, (await b.Get("/protected", change.SessionCookie())).StatusCode);
    }

    [Fact]
    public async Task A_session_row_deleted_by_an_operator_with_SQL_is_refused_by_every_instance()
    {
        var (a, b) = (Instance().Client(), Instance().Client());
        await AwaitListeners(2);
        var cookie = await a.RegisterAndLogin(Api.Unique());
        Assert.Equal(HttpStatusCode.OK, (await a.Get("/protected", cookie)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await b.Get("/protected", cookie)).StatusCode);

        await Sql("DELETE FROM sessions");

        await AssertRefusedSoon(a, cookie);
        await AssertRefusedSoon(b, cookie);
    }

    [Fact]
    public async Task With_the_cache_off_a_revocation_is_refused_by_the_other_instance_on_its_very_next_request()
    {
        var off = new Dictionary<string, string?> { ["Sessions:Cache"] = "Off" };
        var (a, b) = (Instance(off).Client(), Instance(off).Client());
        for (var round = 0; round < 10; round++)
        {
            var cookie = round == 0 ? await a.RegisterAndLogin("offuser") : (await a.Login("offuser")).SessionCookie();
            Assert.Equal(HttpStatusCode.OK, (await b.Get("/protected", cookie)).StatusCode);
            Assert.Equal(HttpStatusCode.NoContent, (await a.Logout(cookie)).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await b.Get("/protected", cookie)).StatusCode);
        }
    }

    [Fact]
    public async Task After_its_listener_is_killed_an_instance_serves_no_session_deleted_meanwhile_past_the_trust_bound()
    {
        var (a, b) = (Instance().Client(), Instance().Client());
        var before = await AwaitListeners(2);
        var cookies = new List<string>();
        for (var i = 0; i < 5; i++) cookies.Add(await a.RegisterAndLogin(Api.Unique()));
        foreach (var cookie in cookies) Assert.Equal(HttpStatusCode.OK, (await b.Get("/protected", cookie)).StatusCode);

        // The listeners' connections die (as on a network cut or a failover); the sessions are then deleted by
        // SQL, whose notifications the dead listeners cannot hear. Past the feed's trust bound B must not serve
        // them from memory: a request SENT after that bound (so served after it) is refused.
        await Sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'sliceauth-listener' AND datname = current_database()");
        await Sql("DELETE FROM sessions");
        var deleted = Stopwatch.StartNew();
        while (deleted.Elapsed < TimeSpan.FromSeconds(2))
            foreach (var cookie in cookies)
            {
                var sentAt = deleted.Elapsed;
                var status = (await b.Get("/protected", cookie)).StatusCode;
                if (sentAt > TrustBound) Assert.Equal(HttpStatusCode.Unauthorized, status);
            }

        var after = await AwaitListeners(2);
        Assert.Empty(before.Intersect(after)); // both listeners came back on new connections by themselves
        var again = await a.RegisterAndLogin(Api.Unique());
        Assert.Equal(HttpStatusCode.OK, (await b.Get("/protected", again)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await a.Logout(again)).StatusCode);
        await AssertRefusedSoon(b, again); // and propagation works again through the new listener
    }

    [Fact]
    public async Task A_registration_race_across_instances_has_exactly_one_winner()
    {
        var (a, b) = (Instance().Client(), Instance().Client());
        for (var round = 0; round < 5; round++)
        {
            var name = Api.Unique("race");
            var email = $"{name}@example.com";
            var variants = new[] { name, name.ToUpperInvariant(), char.ToUpperInvariant(name[0]) + name[1..] };
            var responses = await Task.WhenAll(variants.SelectMany((v, i) => new[]
            {
                a.Register(v, i == 0 ? email : email.ToUpperInvariant()),
                b.Register(v, i == 1 ? email : email.ToUpperInvariant()),
            }));
            Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
            Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.Created), r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));
        }
    }

    [Fact]
    public async Task Ten_failed_logins_spread_over_two_instances_throttle_the_account_on_both()
    {
        var (a, b) = (Instance().Client(), Instance().Client());
        var name = Api.Unique();
        (await a.Register(name)).EnsureSuccessStatusCode();
        for (var i = 0; i < 10; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await (i % 2 == 0 ? a : b).Login(name, "wrong password here")).StatusCode);

        foreach (var client in new[] { a, b })
        {
            var response = await client.Login(name);
            Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
            Assert.NotNull(response.Headers.RetryAfter);
        }
    }

    [Fact]
    public async Task Concurrent_wrong_passwords_sent_to_two_instances_get_at_most_the_limit_of_checks()
    {
        var (a, b) = (Instance().Client(), Instance().Client());
        var name = Api.Unique();
        (await a.Register(name)).EnsureSuccessStatusCode();

        var responses = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => (i % 2 == 0 ? a : b).Login(name, "wrong password here")));

        Assert.InRange(responses.Count(r => r.StatusCode == HttpStatusCode.Unauthorized), 1, 10);
        Assert.All(responses, r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests }));
    }

    [Fact]
    public async Task A_NUL_character_that_PostgreSQL_cannot_store_is_a_plain_miss_or_400_never_a_500()
    {
        var a = Instance().Client();

        // (A NUL in a URL path never reaches the stores: Kestrel refuses the request.)
        Assert.Equal(HttpStatusCode.Unauthorized, (await a.PostRaw("/login", "{\"username\":\"nul\\u0000name\",\"password\":\"whatever it is\"}")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await a.Register("nulmail", "a\u0000b@example.com")).StatusCode);
    }
}
