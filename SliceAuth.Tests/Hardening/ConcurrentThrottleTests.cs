using System.Net;
using SliceAuth.Tests.Infrastructure;

namespace SliceAuth.Tests.Hardening;

/// <summary>
/// The per-account limit holds however many password checks arrive at once: an attempt takes its place in
/// the count before bcrypt, so at most Auth:LoginThrottle:MaxFailures checks of one account can fail within
/// the window (login, password change and deletion together); the others get 429 without any bcrypt work.
/// </summary>
public sealed class ConcurrentThrottleTests : GatedAppTests
{
    private const int MaxFailures = 10; // the default
    private const string NewPassword = "a new and longer passphrase";

    /// <summary>
    /// Sends every request at once with the gate closed, waits until the ones the limit lets through are held
    /// at bcrypt and the rest have answered (or a few seconds pass), then releases the held ones.
    /// </summary>
    private async Task<(HttpResponseMessage[] Replies, int ReachedBcrypt)> AllAtOnce(params Func<Task<HttpResponseMessage>>[] requests)
    {
        var before = Gate.Arrived;
        Gate.Close();
        var replies = requests.Select(r => Task.Run(r)).ToArray();
        var settled = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (DateTime.UtcNow < settled && (Gate.Held < MaxFailures || replies.Count(t => t.IsCompleted) < requests.Length - MaxFailures))
            await Task.Delay(10);
        VerificationGate.ReleaseHeld(Gate.Open());
        return (await Task.WhenAll(replies), Gate.Arrived - before);
    }

    private static async Task AssertThrottled(HttpResponseMessage reply)
    {
        await reply.Problem(HttpStatusCode.TooManyRequests);
        Assert.True(reply.Headers.RetryAfter?.Delta > TimeSpan.Zero, "429 without Retry-After");
    }

    [Fact]
    public async Task Simultaneous_wrong_passwords_by_login_change_and_deletion_reach_bcrypt_at_most_MaxFailures_times()
    {
        var cookie = await Client.RegisterAndLogin("besieged");

        var requests = Enumerable.Range(0, 30).Select<int, Func<Task<HttpResponseMessage>>>(i => (i % 3) switch
        {
            0 => () => Client.Login("besieged", $"wrong guess {i}"),
            1 => () => Client.Send(HttpMethod.Post, "/me/password", cookie, new { currentPassword = $"wrong guess {i}", newPassword = NewPassword }),
            _ => () => Client.Send(HttpMethod.Delete, "/me", cookie, new { password = $"wrong guess {i}" }),
        }).ToArray();
        var (replies, reachedBcrypt) = await AllAtOnce(requests);

        Assert.Equal(MaxFailures, reachedBcrypt);
        var refused = replies.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.Equal(30 - MaxFailures, refused.Count);
        foreach (var reply in refused) await AssertThrottled(reply);
        Assert.All(replies.Where(r => r.StatusCode != HttpStatusCode.TooManyRequests),
            r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.Unauthorized, HttpStatusCode.BadRequest }));
        // The limit is spent: even the right password waits now.
        await AssertThrottled(await Client.Login("besieged"));
    }

    [Fact]
    public async Task Simultaneous_guesses_at_an_unknown_name_are_limited_alike()
    {
        (await Client.Register("exists")).EnsureSuccessStatusCode();

        var (known, knownReached) = await AllAtOnce(Enumerable.Range(0, 20)
            .Select<int, Func<Task<HttpResponseMessage>>>(i => () => Client.Login("exists", $"wrong guess {i}")).ToArray());
        var (unknown, unknownReached) = await AllAtOnce(Enumerable.Range(0, 20)
            .Select<int, Func<Task<HttpResponseMessage>>>(i => () => Client.Login("does-not-exist", $"wrong guess {i}")).ToArray());

        Assert.Equal(MaxFailures, knownReached);
        Assert.Equal(MaxFailures, unknownReached);
        Assert.Equal(known.Select(r => r.StatusCode).Order(), unknown.Select(r => r.StatusCode).Order());
        var knownTitles = await Task.WhenAll(known.Select(async r => $"{(int)r.StatusCode} {(await r.Json()).GetProperty("title")}"));
        var unknownTitles = await Task.WhenAll(unknown.Select(async r => $"{(int)r.StatusCode} {(await r.Json()).GetProperty("title")}"));
        Assert.Equal(knownTitles.Order(), unknownTitles.Order());
    }

    [Fact]
    public async Task A_right_password_while_the_limit_is_in_flight_gets_429_and_ends_the_run_once_it_gets_through()
    {
        (await Client.Register("patient")).EnsureSuccessStatusCode();

        // MaxFailures wrong guesses held at bcrypt: every place in the count is taken.
        Gate.Close();
        var wrong = Enumerable.Range(0, MaxFailures).Select(i => Task.Run(() => Client.Login("patient", $"wrong guess {i}"))).ToArray();
        Assert.True(await Gate.WaitHeld(MaxFailures), $"only {Gate.Held} guesses reached bcrypt");
        var heldGuesses = Gate.Open();

        // Before bcrypt a right password cannot be told from a wrong one: it waits like one.
        await AssertThrottled(await Client.Login("patient"));

        VerificationGate.ReleaseHeld(heldGuesses);
        foreach (var reply in await Task.WhenAll(wrong)) await reply.Problem(HttpStatusCode.Unauthorized);
        App.Clock.Advance(TimeSpan.FromMinutes(15)); // the failures leave the window
        Assert.Equal(HttpStatusCode.OK, (await Client.Login("patient")).StatusCode);
        // ... and the run is over: MaxFailures new failures are allowed again.
        for (var i = 0; i < MaxFailures; i++) await (await Client.Login("patient", "wrong again")).Problem(HttpStatusCode.Unauthorized);
        await AssertThrottled(await Client.Login("patient", "wrong again"));
    }
}
