using System.Diagnostics;
using System.Net;
using SliceAuth.Tests.Infrastructure;

namespace SliceAuth.Tests.Storage.Postgres;

/// <summary>
/// Two instances on one PostgreSQL database, mailing to one SMTP server: a link mailed by one works on the other,
/// a reset on one ends the sessions the other holds in memory, and the mail limits are one count for both.
/// </summary>
[Trait("Storage", "Postgres")]
public sealed class EmailAcrossInstancesTests : PostgresCluster
{
    private readonly SmtpInbox _inbox = new();

    private HttpClient Instance() => Instance(_inbox.Settings).Client();

    public override void Dispose()
    {
        base.Dispose();
        _inbox.Dispose();
    }

    [Fact]
    public async Task A_link_mailed_by_one_instance_resets_on_the_other_and_every_instance_drops_the_old_sessions()
    {
        var (a, b) = (Instance(), Instance());
        await AwaitListeners(2);
        var name = Api.Unique();
        var email = $"{name}@example.com";
        var cookie = await a.RegisterAndLoginAt(name, email);
        await _inbox.NextAsync(email);
        Assert.Equal(HttpStatusCode.OK, (await b.Get("/protected", cookie)).StatusCode); // now in B's memory

        Assert.Equal(HttpStatusCode.Accepted, (await a.ForgotPassword(email)).StatusCode);
        var token = (await _inbox.NextAsync(email)).Token!;
        Assert.Equal(HttpStatusCode.NoContent, (await b.ResetPassword(token, "reset across instances 1")).StatusCode);

        var clock = Stopwatch.StartNew();
        while ((await a.Get("/protected", cookie)).StatusCode != HttpStatusCode.Unauthorized)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), "instance A kept serving a session the reset on B ended");
            await Task.Delay(5);
        }
        await (await a.ResetPassword(token, "and once more on A 2")).Problem(HttpStatusCode.BadRequest);
        Assert.Equal(HttpStatusCode.OK, (await a.Login(name, "reset across instances 1")).StatusCode);
    }

    [Fact]
    public async Task The_per_address_limit_is_one_count_for_every_instance()
    {
        var (a, b) = (Instance(), Instance());
        var name = Api.Unique();
        var email = $"{name}@example.com";
        Assert.Equal(HttpStatusCode.Created, (await a.Register(name, email)).StatusCode);
        await _inbox.NextAsync(email); // one of the three

        var answers = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => (i % 2 == 0 ? a : b).ForgotPassword(email)));

        Assert.All(answers, answer => Assert.Equal(HttpStatusCode.Accepted, answer.StatusCode));
        await _inbox.NextAsync(email);
        await _inbox.NextAsync(email);
        await _inbox.AssertNoneAsync(email, TimeSpan.FromSeconds(1));
    }
}
