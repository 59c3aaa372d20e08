using System.Net;
using SliceAuth.Tests.Infrastructure;

namespace SliceAuth.Tests.Sessions;

/// <summary>
/// Live sessions are kept in memory for speed; every way of ending one must end it at once, including
/// when the session was just used (and so is in memory) and when requests race with the logout.
/// </summary>
public sealed class RevocationTests : AppTest
{
    private async Task<string> WarmSession(string cookie)
    {
        Assert.Equal(HttpStatusCode.OK, (await Client.Get("/protected", cookie)).StatusCode);
        return cookie;
    }

    [Fact]
    public async Task Each_way_of_ending_a_recently_used_session_refuses_it_at_once()
    {
        var owner = await Client.RegisterAndLogin("ender");
        var byHandle = await WarmSession((await Client.Login("ender")).SessionCookie());
        var byOthers = await WarmSession((await Client.Login("ender")).SessionCookie());

        var handle = (await Client.Sessions(byHandle)).Single(s => s.Current).Id;
        await Client.Send(HttpMethod.Delete, $"/me/sessions/{handle}", owner);
        await (await Client.Get("/protected", byHandle)).Problem(HttpStatusCode.Unauthorized);

        await Client.Send(HttpMethod.Delete, "/me/sessions", owner);
        await (await Client.Get("/protected", byOthers)).Problem(HttpStatusCode.Unauthorized);

        var beforeChange = await WarmSession(owner);
        var changed = await Client.Send(HttpMethod.Post, "/me/password", owner, new { currentPassword = Api.Password, newPassword = "another fine passphrase" });
        Assert.Equal(HttpStatusCode.NoContent, changed.StatusCode);
        await (await Client.Get("/protected", beforeChange)).Problem(HttpStatusCode.Unauthorized);

        var afterChange = await WarmSession(changed.SessionCookie());
        await Client.Send(HttpMethod.Delete, "/me", afterChange, new { password = "another fine passphrase" });
        await (await Client.Get("/protected", afterChange)).Problem(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task An_expired_session_is_refused_even_though_it_was_just_used()
    {
        var cookie = await WarmSession(await Client.RegisterAndLogin("lapsed"));

        App.Clock.Advance(TimeSpan.FromMinutes(30));

        await (await Client.Get("/protected", cookie)).Problem(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Once_logout_has_answered_the_session_never_works_again_under_concurrent_use()
    {
        const int wantedAfterLogout = 20;
        for (var round = 0; round < 5; round++)
        {
            var cookie = await Client.RegisterAndLogin($"racer{round}");
            using var stop = new CancellationTokenSource();
            var loggedOut = 0; // set once the logout's 204 is in hand
            var sentAfterLogout = 0;
            var refusedAfterLogout = 0;
            var answersAfterLogout = new System.Collections.Concurrent.ConcurrentQueue<HttpStatusCode>();

            var hammers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    var afterLogout = Volatile.Read(ref loggedOut) == 1;
                    var status = (await Client.Get("/protected", cookie)).StatusCode;
                    if (!afterLogout) continue;
                    Interlocked.Increment(ref sentAfterLogout);
                    if (status == HttpStatusCode.Unauthorized) Interlocked.Increment(ref refusedAfterLogout);
                    else answersAfterLogout.Enqueue(status);
                }
            })).ToList();

            await Task.Delay(20);
            Assert.Equal(HttpStatusCode.NoContent, (await Client.Logout(cookie)).StatusCode);
            Volatile.Write(ref loggedOut, 1);
            // Keep the hammers going until enough requests sent after the logout's answer have come back.
            var waited = System.Diagnostics.Stopwatch.StartNew();
            while (Volatile.Read(ref sentAfterLogout) < wantedAfterLogout && waited.Elapsed < TimeSpan.FromSeconds(15))
                await Task.Delay(5);
            stop.Cancel();
            await Task.WhenAll(hammers);

            Assert.True(sentAfterLogout >= wantedAfterLogout, $"round {round}: only {sentAfterLogout} requests were sent after the logout answered");
            Assert.Empty(answersAfterLogout);
            Assert.Equal(sentAfterLogout, refusedAfterLogout);
        }
    }
}
