using System.Collections.Concurrent;
using Reliability.Infra;

namespace Reliability.Checks;

/// <summary>
/// PostgreSQL crashes (`server.sh kill`, an immediate shutdown) under load on all three instances and comes back
/// 3 s later (`server.sh start`). Throughout: every answer is a success or 503 problem+json with Retry-After, never
/// another 5xx, never a 200 for a cookie revoked before the outage; while it is down /health/ready is 503 and
/// /health/live 200. Afterwards every instance serves again by itself (no restart): registration, login and
/// /health/ready within 30 s.
/// </summary>
public static class ClusterPgRestart
{
    private const int Trials = 2;
    private static readonly TimeSpan Down = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan ResumeLimit = TimeSpan.FromSeconds(30);

    public static async Task Run(Check c)
    {
        using var cluster = await Cluster.Start(c, "cluster_pg_restart");
        if (cluster is null) return;
        var rng = new Random(c.Settings.Seed ^ 0x50475253);
        try
        {
            for (var trial = 1; trial <= Trials; trial++)
                if (!await Trial(c, cluster, trial, rng.Next())) break;
        }
        finally
        {
            // Whatever happened, the next check gets its PostgreSQL back.
            try { cluster.Pg.Start(); } catch (InvalidOperationException e) { c.That(false, $"PostgreSQL did not start again: {e.Message}"); }
        }
    }

    private static async Task<bool> Trial(Check c, Cluster cluster, int trial, int seed)
    {
        var what = $"trial {trial}";
        var rng = new Random(seed);
        var tag = rng.Next(100000, 999999);
        const string password = "outage trial password";
        var user = $"pg{trial}x{tag}";
        var reg = await cluster.Http(0).Register(user, $"{user}@cluster.example", password);
        var live = (await cluster.Http(1).Login(user, password)).SessionCookie;
        var revoked = (await cluster.Http(2).Login(user, password)).SessionCookie;
        if (!c.That(reg.Status == 201 && live is not null && revoked is not null, () => $"{what}: set-up failed: {reg}")) return false;
        for (var i = 0; i < 3; i++) await cluster.Http(i).Protected(revoked); // warm every cache with it
        var logout = await cluster.Http(0).Logout(revoked);
        await Task.Delay(250);
        for (var i = 0; i < 3; i++)
        {
            var r = await cluster.Http(i).Protected(revoked);
            if (!c.That(logout.Status == 204 && r.Status == 401, () => $"{what}: the revoked cookie before the outage on {Cluster.Label(i)}: {r} (logout {logout})"))
                return false;
        }

        var replies = new ConcurrentQueue<(int Instance, string Phase, string Kind, Reply Reply)>();
        var phase = "before";
        using var stop = new CancellationTokenSource();
        var clients = Enumerable.Range(0, 6).Select(client => Task.Run(async () =>
        {
            var local = new Random(seed + client);
            for (var i = 0; i < 50_000 && !stop.IsCancellationRequested; i++)
            {
                var instance = (client + i) % 3;
                var http = cluster.Http(instance);
                var name = $"pgl{trial}c{client}n{i}x{tag}";
                var kind = (i % 5) switch { 0 => "register", 1 => "login", 2 => "live cookie", _ => "revoked cookie" };
                var r = (i % 5) switch
                {
                    0 => await http.Register(name, $"{name}@cluster.example", "outage load password"),
                    1 => await http.Login(user, password),
                    2 => await http.Protected(live),
                    3 => await http.Me(revoked),
                    _ => await http.Protected(revoked),
                };
                replies.Enqueue((instance, Volatile.Read(ref phase), kind, r));
                await Task.Delay(local.Next(0, 10));
            }
        })).ToArray();

        await Task.Delay(1000);
        Volatile.Write(ref phase, "down");
        var (killCode, killOutput) = cluster.Pg.Kill();
        c.That(killCode == 0, () => $"{what}: server.sh kill: {killOutput}");
        await Task.Delay(500);
        for (var i = 0; i < 3; i++)
        {
            var ready = await cluster.Http(i).Ready();
            var liveness = await cluster.Http(i).Call(Infra.Http.Get("/health/live"));
            c.That(ready.Status == 503, () => $"{what}: /health/ready on {Cluster.Label(i)} with PostgreSQL down: {ready}");
            c.That(liveness.Status == 200, () => $"{what}: /health/live on {Cluster.Label(i)} with PostgreSQL down: {liveness}");
        }
        await Task.Delay(Down - TimeSpan.FromMilliseconds(500));
        Volatile.Write(ref phase, "returning");
        try { cluster.Pg.Start(); }
        catch (InvalidOperationException e) { c.That(false, $"{what}: PostgreSQL did not start again: {e.Message}"); stop.Cancel(); return false; }
        var back = Infra.Http.Now;

        // Every instance serves again by itself.
        var resumed = new double?[3];
        while (Infra.Http.Now - back < ResumeLimit && resumed.Any(r => r is null))
        {
            for (var i = 0; i < 3; i++)
            {
                if (resumed[i] is not null) continue;
                var name = $"pgr{trial}i{i}x{tag}n{rng.Next(1_000_000)}";
                var r = await cluster.Http(i).Register(name, $"{name}@cluster.example", "resumed password");
                var ready = await cluster.Http(i).Ready();
                if (r.Status == 201 && ready.Status == 200) resumed[i] = (Infra.Http.Now - back).TotalMilliseconds;
            }
            await Task.Delay(50);
        }
        Volatile.Write(ref phase, "after");
        await Task.Delay(1000);
        stop.Cancel();
        await Task.WhenAll(clients);

        for (var i = 0; i < 3; i++)
        {
            var instance = i;
            c.That(resumed[i] is not null, () => $"{what}: {Cluster.Label(instance)} did not serve a registration and /health/ready 200 within " +
                                                 $"{ResumeLimit.TotalSeconds:0} s of PostgreSQL's return\n{cluster[instance].Tail(15)}");
            var login = await cluster.Http(i).Login(user, password);
            c.That(login.Status == 200, () => $"{what}: a login on {Cluster.Label(instance)} after the outage: {login}");
        }
        c.Info($"{what}: PostgreSQL down {Down.TotalSeconds:0} s; serving again after " +
               string.Join(", ", resumed.Select((r, i) => $"{Cluster.Label(i)} {r?.ToString("0") ?? "never"} ms")) + "; answers by phase: " +
               string.Join("; ", replies.GroupBy(r => r.Phase).Select(g => $"{g.Key} " + string.Join(" ", g.GroupBy(r => r.Reply.Status).OrderBy(s => s.Key).Select(s => $"{s.Key}x{s.Count()}")))));

        // A success or 503 for everything, except that the revoked cookie is 401 (or 503), never 200.
        var all = replies.ToList();
        var bad = all.Where(r => r.Kind == "revoked cookie"
            ? r.Reply.Status is not (401 or 503)
            : r.Reply.Status is not (200 or 201 or 503)).ToList();
        c.That(bad.Count == 0, () => $"{what}: {bad.Count} answers neither a success (401 for the revoked cookie) nor 503, e.g.\n      " +
                                     string.Join("\n      ", bad.Take(5).Select(b => $"{b.Phase} {Cluster.Label(b.Instance)} {b.Kind}: {b.Reply}")) + "\n" + cluster.Tails(10));
        var servedRevoked = all.Count(r => r.Kind == "revoked cookie" && r.Reply.Status == 200);
        c.That(servedRevoked == 0, () => $"{what}: the cookie revoked before the outage was served 200 {servedRevoked} times");
        var unavailable = all.Where(r => r.Reply.Status == 503).ToList();
        c.That(unavailable.All(r => r.Reply.RetryAfter is { Length: > 0 } && r.Reply.IsProblem),
            () => $"{what}: a 503 without Retry-After or not problem+json: {unavailable.First(r => r.Reply.RetryAfter is null || !r.Reply.IsProblem).Reply}");
        c.That(unavailable.Count > 0, () => $"{what}: not one 503 during the outage: the load never met it, the trial proves nothing");
        return true;
    }
}
