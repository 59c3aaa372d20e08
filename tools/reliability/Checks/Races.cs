using System.Collections.Concurrent;
using Reliability.Infra;

namespace Reliability.Checks;

/// <summary>
/// Simultaneous registrations of one username (also differing only in case) and of one email: exactly one 201,
/// the rest 409, no 5xx, and the winner's password is the one that logs in. Then logout racing requests on the
/// same session: no request sent after the logout's 204 may get a 200. Then simultaneous wrong passwords for one
/// account (login, password change, deletion mixed; a known and an unknown name): at most the limit of them are
/// checked and fail, the rest get 429. Then logins racing a password change and an account deletion (followed by
/// a re-registration of the name): once the change or deletion answered, no session from a racing login works,
/// and the account's session list holds only the new session.
/// </summary>
public static class Races
{
    private const int Racers = 50;

    public static async Task Run(Check c)
    {
        var dir = c.NewDirectory("data");
        using var server = Server.Start(c.Settings, dir, "races");
        if (await server.WaitReady(TimeSpan.FromSeconds(30)) is null)
        {
            c.That(false, $"the server was never ready\n{server.Tail()}");
            return;
        }
        using var http = server.Client(connections: Racers + 10, timeout: TimeSpan.FromSeconds(20));
        var rng = new Random(c.Settings.Seed ^ 0x52414345);
        var tag = rng.Next(100000, 999999).ToString();

        // One username, fifty emails and passwords.
        await Race(c, http, "same username", i => ($"race{tag}", $"u{i}.{tag}@races.example"));
        // One username in fifty spellings that differ only in case (and one by case folding: ß = SS).
        await Race(c, http, "username differing in case", i => (i == 7 ? $"Straße{tag}" : RandomCase($"strasse{tag}", rng), $"c{i}.{tag}@races.example"));
        // One email, in different case, with fifty usernames.
        await Race(c, http, "same email", i => ($"mail{tag}n{i}", RandomCase($"shared.{tag}@Races.Example", rng)));

        for (var round = 1; round <= 8; round++) await LogoutRace(c, http, round, rng.Next());

        await ThrottleRace(c, http, $"guess{tag}", known: true);
        await ThrottleRace(c, http, $"nobody{tag}", known: false);
        for (var round = 1; round <= 6; round++)
        {
            await CredentialRace(c, http, round, $"chg{round}x{tag}", deleteAccount: false, rng.Next(0, 30));
            await CredentialRace(c, http, round, $"del{round}x{tag}", deleteAccount: true, rng.Next(0, 30));
        }

        c.That(!server.HasExited, $"the server exited during the races\n{server.Tail()}");
        await server.Terminate(TimeSpan.FromSeconds(15));
    }

    private static string RandomCase(string s, Random rng) =>
        string.Concat(s.Select(ch => rng.Next(2) == 0 ? char.ToUpperInvariant(ch) : char.ToLowerInvariant(ch)));

    private static async Task Race(Check c, HttpClient http, string what, Func<int, (string User, string Email)> identity)
    {
        // Open enough connections first, so the racers leave together rather than queue for sockets.
        await Task.WhenAll(Enumerable.Range(0, Racers).Select(_ => http.Call(Http.Get("/health/live"))));

        var go = new TaskCompletionSource();
        var racers = Enumerable.Range(0, Racers).Select(i => Task.Run(async () =>
        {
            var (user, email) = identity(i);
            var password = $"racer {i} secret {i * 7919}";
            await go.Task;
            return (User: user, Password: password, Reply: await http.Register(user, email, password));
        })).ToArray();
        await Task.Delay(200);
        go.SetResult();
        var results = await Task.WhenAll(racers);

        var created = results.Where(r => r.Reply.Status == 201).ToList();
        c.That(created.Count == 1, () => $"{what}: {created.Count} of {Racers} simultaneous registrations answered 201 (want exactly 1): " +
                                         string.Join("; ", created.Take(5).Select(r => r.Reply.ToString())));
        foreach (var r in results.Where(r => r.Reply.Status != 201))
            c.That(r.Reply.Status == 409 && r.Reply.IsProblem, () => $"{what}: a losing registration answered other than 409 problem+json: {r.Reply}");

        if (created.Count == 0) return;
        var winner = created[0];
        var login = await http.Login(winner.User, winner.Password);
        c.That(login.Status == 200, () => $"{what}: the winner '{winner.User}' cannot log in with its password: {login}");
        var loser = results.FirstOrDefault(r => r.Reply.Status != 201);
        if (loser.Reply is not null && loser.Password != winner.Password && what != "same email")
        {
            var wrong = await http.Login(winner.User, loser.Password);
            c.That(wrong.Status == 401, () => $"{what}: a loser's password logs in to the winner's account: {wrong}");
        }
    }

    /// <summary>
    /// Hammers /protected and /me with one session while it logs out. A request sent after the logout's 204 arrived
    /// must be refused (401); requests in flight at that moment may go either way.
    /// </summary>
    private static async Task LogoutRace(Check c, HttpClient http, int round, int seed)
    {
        var rng = new Random(seed);
        var user = $"logout{round}x{seed % 100000}";
        const string password = "logout race password";
        var reg = await http.Register(user, $"{user}@races.example", password);
        var login = await http.Login(user, password);
        if (!c.That(reg.Status == 201 && login.SessionCookie is not null, () => $"logout round {round}: set-up failed: {reg} / {login}")) return;
        var cookie = login.SessionCookie!;

        var replies = new ConcurrentQueue<Reply>();
        var logoutAnswered = TimeSpan.MaxValue;
        using var stop = new CancellationTokenSource();
        var hammers = Enumerable.Range(0, 8).Select(h => Task.Run(async () =>
        {
            for (var i = 0; i < 2000 && !stop.IsCancellationRequested; i++)
                replies.Enqueue(await (h % 2 == 0 ? http.Protected(cookie) : http.Me(cookie)));
        })).ToArray();

        await Task.Delay(rng.Next(50, 400));
        // Two logouts at once with the same cookie: both are 204, the session is dead after the first.
        var logouts = await Task.WhenAll(http.Logout(cookie), http.Logout(cookie));
        logoutAnswered = logouts.Min(l => l.Received);
        foreach (var l in logouts) c.That(l.Status == 204, () => $"logout round {round}: a logout answered {l}");
        // Keep going for a while after the 204.
        await Task.Delay(1000);
        stop.Cancel();
        await Task.WhenAll(hammers);

        var after = replies.Where(r => r.Sent > logoutAnswered).ToList();
        var before = replies.Where(r => r.Received < logoutAnswered).ToList();
        var revived = after.Where(r => r.Status != 401).ToList();
        c.That(after.Count > 0, $"logout round {round}: no request was sent after the logout answered (cannot judge)");
        c.That(revived.Count == 0, () =>
            $"logout round {round}: {revived.Count} of {after.Count} requests sent after the logout's 204 were not 401, e.g. " +
            string.Join("; ", revived.Take(3).Select(r => $"{r} (sent {(r.Sent - logoutAnswered).TotalMilliseconds:0} ms after the 204)")));
        c.That(before.All(r => r.Status is 200 or 401), () => $"logout round {round}: requests before the logout got " +
            string.Join("; ", before.Where(r => r.Status is not (200 or 401)).Take(3)));
        c.That(before.Any(r => r.Status == 200), $"logout round {round}: no request succeeded before the logout (the race never happened)");
        var again = await http.Login(user, password);
        c.That(again.Status == 200, () => $"logout round {round}: the user cannot log in again after the race: {again}");
    }

    /// <summary>Auth:LoginThrottle:MaxFailures as the server runs it (the default).</summary>
    private const int MaxFailures = 10;

    /// <summary>
    /// Sixty wrong passwords for one account at once: at most MaxFailures may be checked (401 for a login, 400 for
    /// a change or deletion), every other one is 429, and then even the right password is 429.
    /// </summary>
    private static async Task ThrottleRace(Check c, HttpClient http, string user, bool known)
    {
        const string password = "throttle race password";
        var what = known ? "throttle race (known name)" : "throttle race (unknown name)";
        string? cookie = null;
        if (known)
        {
            await http.Register(user, $"{user}@races.example", password);
            cookie = (await http.Login(user, password)).SessionCookie;
            if (!c.That(cookie is not null, $"{what}: set-up failed")) return;
        }

        var go = new TaskCompletionSource();
        var racers = Enumerable.Range(0, Racers + 10).Select(i => Task.Run(async () =>
        {
            await go.Task;
            var guess = $"wrong guess {i}";
            return (i % 3, known) switch
            {
                (1, true) => await http.ChangePassword(cookie!, guess, "a brand new passphrase"),
                (2, true) => await http.DeleteAccount(cookie!, guess),
                _ => await http.Login(user, guess),
            };
        })).ToArray();
        await Task.Delay(200);
        go.SetResult();
        var replies = await Task.WhenAll(racers);

        var checkedAndFailed = replies.Where(r => r.Status is 401 or 400).ToList();
        var throttled = replies.Where(r => r.Status == 429).ToList();
        c.That(checkedAndFailed.Count <= MaxFailures, () =>
            $"{what}: {checkedAndFailed.Count} of {replies.Length} simultaneous wrong passwords were checked and failed (limit {MaxFailures})");
        c.That(checkedAndFailed.Count + throttled.Count == replies.Length, () =>
            $"{what}: answers other than 401/400/429: " + string.Join("; ", replies.Where(r => r.Status is not (401 or 400 or 429)).Take(3)));
        c.That(throttled.All(r => r.IsProblem), $"{what}: a 429 was not problem+json");
        var right = await http.Login(user, password);
        c.That(right.Status == 429, () => $"{what}: after the limit was spent the right password answered {right} (want 429)");
    }

    /// <summary>
    /// Eight logins with the right password race a password change (or the account's deletion and the name's
    /// re-registration). Once the change or deletion answered, no session a racing login got may work, and the
    /// account's session list holds only the session of whoever changed the password (or the new owner).
    /// </summary>
    private static async Task CredentialRace(Check c, HttpClient http, int round, string user, bool deleteAccount, int delayMs)
    {
        const string password = "credential race password";
        const string next = "the next credential race password";
        var what = $"{(deleteAccount ? "deletion" : "password change")} race {round}";
        await http.Register(user, $"{user}@races.example", password);
        var owner = (await http.Login(user, password)).SessionCookie;
        if (!c.That(owner is not null, $"{what}: set-up failed")) return;

        var go = new TaskCompletionSource();
        var logins = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            await go.Task;
            return await http.Login(user, password);
        })).ToArray();
        var change = Task.Run(async () =>
        {
            await go.Task;
            await Task.Delay(delayMs);
            return deleteAccount ? await http.DeleteAccount(owner!, password) : await http.ChangePassword(owner!, password, next);
        });
        go.SetResult();
        var changed = await change;
        var replies = await Task.WhenAll(logins);
        if (!c.That(changed.Status == 204, () => $"{what}: the {(deleteAccount ? "deletion" : "change")} answered {changed}")) return;

        string? current;
        if (deleteAccount)
        {
            var again = await http.Register(user, $"{user}.again@races.example", next);
            current = again.Status == 201 ? (await http.Login(user, next)).SessionCookie : null;
            if (!c.That(current is not null, () => $"{what}: the name could not be registered and logged in again: {again}")) return;
        }
        else current = changed.SessionCookie;

        c.That(replies.All(r => r.Status is 200 or 401), () => $"{what}: racing logins answered " +
            string.Join("; ", replies.Where(r => r.Status is not (200 or 401)).Take(3)));
        foreach (var login in replies.Where(r => r.SessionCookie is not null))
        {
            var used = await http.Protected(login.SessionCookie);
            c.That(used.Status == 401, () => $"{what}: a session from a racing login still works after the 204: {used}");
        }
        var list = await http.Call(Http.Get("/me/sessions", current), "GET /me/sessions");
        var listed = list.Json() is { ValueKind: System.Text.Json.JsonValueKind.Array } a ? a.GetArrayLength() : -1;
        c.That(listed == 1, () => $"{what}: the account lists {listed} sessions after the race (want only the current one): {list}");
    }
}
