using Reliability.Infra;

namespace Reliability.Checks;

/// <summary>
/// The login throttle is one count for the cluster, not one per instance: ten wrong passwords spread over A, B and C
/// spend the account's allowance, after which every instance answers 429 with Retry-After (the right password too);
/// sixty simultaneous wrong passwords spread over the three get at most ten 401s. And a login on B racing a password
/// change or deletion on A leaves no session with the old password alive anywhere.
/// </summary>
public static class ClusterThrottle
{
    /// <summary>Auth:LoginThrottle:MaxFailures as the instances run it (the default).</summary>
    private const int MaxFailures = 10;
    private const int Racers = 60;
    private const int CredentialRounds = 8;

    public static async Task Run(Check c)
    {
        using var cluster = await Cluster.Start(c, "cluster_throttle");
        if (cluster is null) return;
        var rng = new Random(c.Settings.Seed ^ 0x54485254);
        var tag = rng.Next(100000, 999999);

        await Spread(c, cluster, $"spread{tag}");
        await Simultaneous(c, cluster, $"flood{tag}", known: true);
        await Simultaneous(c, cluster, $"ghost{tag}", known: false);
        for (var round = 0; round < CredentialRounds; round++)
        {
            await LoginRacingCredentialChange(c, cluster, $"cr{round}x{tag}", deletion: false, rng.Next(0, 25));
            await LoginRacingCredentialChange(c, cluster, $"dl{round}x{tag}", deletion: true, rng.Next(0, 25));
        }
    }

    /// <summary>Ten wrong passwords, one after another on A, B, C, A...: each 401; then 429 with Retry-After everywhere.</summary>
    private static async Task Spread(Check c, Cluster cluster, string user)
    {
        const string password = "spread throttle password";
        var reg = await cluster.Http(0).Register(user, $"{user}@cluster.example", password);
        if (!c.That(reg.Status == 201, () => $"spread: set-up registration: {reg}")) return;
        for (var i = 0; i < MaxFailures; i++)
        {
            var r = await cluster.Http(i % 3).Login(user, $"wrong guess {i}");
            c.That(r.Status == 401, () => $"spread: wrong password {i + 1} of {MaxFailures} on {Cluster.Label(i % 3)} answered {r} (want 401)");
        }
        for (var i = 0; i < 3; i++)
        {
            foreach (var (guess, kind) in new[] { ("one more wrong guess", "a wrong"), (password, "the right") })
            {
                var r = await cluster.Http(i).Login(user, guess);
                c.That(r.Status == 429 && r.RetryAfter is { Length: > 0 } && r.IsProblem,
                    () => $"spread: after {MaxFailures} wrong passwords over A, B and C, {kind} password on {Cluster.Label(i)} answered {r} " +
                          $"Retry-After '{r.RetryAfter}' (want 429 problem+json with Retry-After)");
            }
        }
    }

    /// <summary>Sixty wrong passwords at once, twenty to each instance: at most ten are checked (401), the rest 429.</summary>
    private static async Task Simultaneous(Check c, Cluster cluster, string user, bool known)
    {
        var what = known ? "simultaneous (known name)" : "simultaneous (unknown name)";
        const string password = "simultaneous throttle password";
        if (known)
        {
            var reg = await cluster.Http(1).Register(user, $"{user}@cluster.example", password);
            if (!c.That(reg.Status == 201, () => $"{what}: set-up registration: {reg}")) return;
        }
        // Open the connections first, so the racers leave together.
        await Task.WhenAll(Enumerable.Range(0, Racers).Select(i => cluster.Http(i % 3).Call(Infra.Http.Get("/health/live"))));
        var go = new TaskCompletionSource();
        var racers = Enumerable.Range(0, Racers).Select(i => Task.Run(async () =>
        {
            await go.Task;
            return await cluster.Http(i % 3).Login(user, $"simultaneous wrong guess {i}");
        })).ToArray();
        await Task.Delay(200);
        go.SetResult();
        var replies = await Task.WhenAll(racers);
        var checkedCount = replies.Count(r => r.Status == 401);
        var perInstance = string.Join(", ", Enumerable.Range(0, 3).Select(i => $"{Cluster.Label(i)} {replies.Where((_, k) => k % 3 == i).Count(r => r.Status == 401)}"));
        c.Info($"{what}: {checkedCount} of {Racers} simultaneous wrong passwords answered 401 ({perInstance}), {replies.Count(r => r.Status == 429)} answered 429");
        c.That(checkedCount <= MaxFailures, () => $"{what}: {checkedCount} of {Racers} simultaneous wrong passwords were checked and answered 401 " +
                                                 $"(limit {MaxFailures}; per instance {perInstance})");
        c.That(replies.All(r => r.Status is 401 or 429), () => $"{what}: answers other than 401/429: " +
                                                              string.Join("; ", replies.Where(r => r.Status is not (401 or 429)).Take(3)));
        c.That(replies.Where(r => r.Status == 429).All(r => r.RetryAfter is { Length: > 0 }), $"{what}: a 429 had no Retry-After");
    }

    /// <summary>
    /// A login with the current password on B while A changes the password (or deletes the account): once both have
    /// answered, the session the login got (if any) is refused on every instance and the account (after a change)
    /// lists only the session the change handed out.
    /// </summary>
    private static async Task LoginRacingCredentialChange(Check c, Cluster cluster, string user, bool deletion, int delayMs)
    {
        const string password = "credential race password";
        const string next = "credential race next password";
        var what = $"login on B racing a {(deletion ? "deletion" : "password change")} on A ({user}, change after {delayMs} ms)";
        var reg = await cluster.Http(0).Register(user, $"{user}@cluster.example", password);
        var owner = await cluster.Http(0).Login(user, password);
        if (!c.That(reg.Status == 201 && owner.SessionCookie is not null, () => $"{what}: set-up failed: {reg} / {owner}")) return;

        var go = new TaskCompletionSource();
        var logins = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            await go.Task;
            return await cluster.Http(1).Login(user, password);
        })).ToArray();
        var change = Task.Run(async () =>
        {
            await go.Task;
            await Task.Delay(delayMs);
            return deletion ? await cluster.Http(0).DeleteAccount(owner.SessionCookie, password) : await cluster.Http(0).ChangePassword(owner.SessionCookie, password, next);
        });
        go.SetResult();
        var changed = await change;
        var replies = await Task.WhenAll(logins);
        if (!c.That(changed.Status == 204, () => $"{what}: A answered {changed}")) return;
        c.That(replies.All(r => r.Status is 200 or 401), () => $"{what}: racing logins answered " +
                                                              string.Join("; ", replies.Where(r => r.Status is not (200 or 401)).Take(3)));

        // Within the revocation budget (100 ms) every instance has heard of it; 250 ms leaves room for a busy machine.
        await Task.Delay(250);
        foreach (var login in replies.Where(r => r.SessionCookie is not null))
            for (var i = 0; i < 3; i++)
            {
                var used = await cluster.Http(i).Protected(login.SessionCookie);
                c.That(used.Status == 401, () => $"{what}: a session B's racing login got (answered {login.Received - changed.Received:c} from A's 204) " +
                                                 $"works on {Cluster.Label(i)} after both finished: {used}");
            }
        if (!deletion)
        {
            var list = await cluster.Http(2).Sessions(changed.SessionCookie);
            var listed = list.Json() is { ValueKind: System.Text.Json.JsonValueKind.Array } a ? a.GetArrayLength() : -1;
            c.That(listed == 1, () => $"{what}: the account lists {listed} sessions after the race (want only the change's): {list}");
        }
    }
}
