using System.Text.RegularExpressions;
using Reliability.Infra;

namespace Reliability.Checks;

/// <summary>
/// B's LISTEN connection (application_name 'sliceauth-listener') is terminated with pg_terminate_backend at about
/// the moment A revokes a session that B and C have just served. A notification lost with the connection must not
/// leave the session alive in B's memory: from 1 s after A's answer (ten times the revocation budget) neither B nor
/// C may serve the cookie, nor serve it again after having refused it, nor at the end of the trial. B's listener must
/// come back, and then a revocation on A is refused on B within 1 s again.
/// </summary>
public static partial class ClusterListener
{
    private const string ListenerName = "sliceauth-listener";
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Watch = TimeSpan.FromSeconds(2);
    private const int Trials = 25;

    public static async Task Run(Check c)
    {
        using var cluster = await Cluster.Start(c, "cluster_listener", settings: new Dictionary<string, string> { ["Sessions__Cache"] = "On" });
        if (cluster is null) return;
        var rng = new Random(c.Settings.Seed ^ 0x4c495354);

        var before = ListenerPorts(cluster, 1);
        if (!c.That(before.Count > 0, () => $"no connection of B (pid {cluster[1].Pid}) with application_name '{ListenerName}' found in pg_stat_activity: " +
                                            $"{cluster.Pg.Psql(cluster.Database, "select application_name, client_port from pg_stat_activity where datname = current_database()").Output}"))
            return;

        var reconnects = new List<double>();
        for (var t = 0; t < Trials; t++)
            if (await Trial(c, cluster, t, rng.Next()) is { } reconnect) reconnects.Add(reconnect);
            else break;
        reconnects.Sort();
        if (reconnects.Count > 0)
            c.Info($"{reconnects.Count} listener kills; B's listener back after: median {reconnects[reconnects.Count / 2]:0} ms, max {reconnects[^1]:0} ms");
    }

    /// <summary>One kill racing one revocation; returns how long B's listener took to come back (null: the check cannot go on).</summary>
    private static async Task<double?> Trial(Check c, Cluster cluster, int t, int seed)
    {
        var rng = new Random(seed);
        var what = $"listener trial {t}";
        var user = $"ls{t}x{rng.Next(100000)}";
        const string password = "listener trial password";
        var reg = await cluster.Http(2).Register(user, $"{user}@cluster.example", password);
        var login = await cluster.Http(2).Login(user, password);
        var victim = login.SessionCookie;
        if (!c.That(reg.Status == 201 && victim is not null, () => $"{what}: set-up failed: {reg} / {login}")) return null;
        foreach (var o in new[] { 1, 2 })
        {
            var warm = await cluster.Http(o).Protected(victim);
            if (!c.That(warm.Status == 200, () => $"{what}: warming {Cluster.Label(o)}: {warm}")) return null;
        }

        var ports = ListenerPorts(cluster, 1);
        if (!c.That(ports.Count > 0, () => $"{what}: B has no listener connection before the trial")) return null;
        // The kill and the revocation leave together, each after its own random pause of 0-30 ms.
        var killDelay = rng.Next(0, 30);
        var revokeDelay = rng.Next(0, 30);
        var kill = Task.Run(async () =>
        {
            await Task.Delay(killDelay);
            return cluster.Pg.Psql(cluster.Database,
                $"select count(pg_terminate_backend(pid)) from pg_stat_activity where application_name = '{ListenerName}' and client_port in ({string.Join(",", ports)})");
        });
        var revoke = await Task.Run(async () =>
        {
            await Task.Delay(revokeDelay);
            return await cluster.Http(0).Logout(victim);
        });
        var killed = await kill;
        var killedAt = Infra.Http.Now;
        c.That(killed.Code == 0 && killed.Output.Trim() != "0", () => $"{what}: pg_terminate_backend on B's listener: {killed.Output} (code {killed.Code})");
        if (!c.That(revoke.Status == 204, () => $"{what}: A's logout answered {revoke}")) return null;

        // B's listener must come back by itself: watched from the kill on, beside the cookie.
        var back = Task.Run(async () =>
        {
            while ((Infra.Http.Now - killedAt).TotalSeconds < 30)
            {
                if (ListenerPorts(cluster, 1).Count > 0) return (double?)(Infra.Http.Now - killedAt).TotalMilliseconds;
                await Task.Delay(10);
            }
            return null;
        });
        var watched = await Task.WhenAll(new[] { 1, 2 }.Select(o => WatchCookie(cluster.Http(o), victim!, revoke.Received)));
        for (var i = 0; i < 2; i++)
        {
            var o = i + 1;
            var replies = watched[i];
            var late = replies.FirstOrDefault(r => r.Status == 200 && r.Sent - revoke.Received > Settle);
            c.That(late is null, () => $"{what} (kill after {killDelay} ms, logout after {revokeDelay} ms): {Cluster.Label(o)} served the logged-out cookie " +
                                       $"{(late!.Sent - revoke.Received).TotalMilliseconds:0} ms after A's 204\n{cluster.Tails(8)}");
            var first401 = replies.FindIndex(r => r.Status == 401);
            var revived = first401 < 0 ? null : replies.Skip(first401).FirstOrDefault(r => r.Status == 200);
            c.That(revived is null, () => $"{what}: {Cluster.Label(o)} served the cookie again after refusing it: {revived}");
            c.That(replies.All(r => r.Status is 200 or 401), () => $"{what}: {Cluster.Label(o)} answered " +
                                                                  string.Join("; ", replies.Where(r => r.Status is not (200 or 401)).Take(3)));
        }

        var reconnect = await back;
        if (!c.That(reconnect is not null, () => $"{what}: B's listener did not come back within 30 s\n{cluster[1].Tail(15)}")) return null;

        // Still refused at the end of the trial, and propagation works again over the new listener.
        var after = await cluster.Http(1).Protected(victim);
        c.That(after.Status == 401, () => $"{what}: after B's listener came back the logged-out cookie answered {after}");
        var again = await cluster.Http(1).Login(user, password);
        var cookie = again.SessionCookie;
        if (!c.That(cookie is not null, () => $"{what}: a new login on B: {again}")) return null;
        var warmB = await cluster.Http(1).Protected(cookie);
        var logout = await cluster.Http(0).Logout(cookie);
        var refused = await PollRefused(cluster.Http(1), cookie!, logout.Received);
        c.That(warmB.Status == 200 && logout.Status == 204 && refused is not null && refused <= Settle.TotalMilliseconds,
            () => $"{what}: after the listener came back, a logout on A was refused on B after {refused?.ToString("0") ?? "never (5 s)"} ms " +
                  $"(limit {Settle.TotalMilliseconds:0}); warm {warmB.Status}, logout {logout}");
        return reconnect;
    }

    /// <summary>Every answer to the cookie during the watch time, polled without pause.</summary>
    private static async Task<List<Reply>> WatchCookie(HttpClient http, string cookie, TimeSpan since)
    {
        var replies = new List<Reply>();
        while (Infra.Http.Now - since < Watch && replies.Count < 50_000) replies.Add(await http.Protected(cookie));
        return replies;
    }

    private static async Task<double?> PollRefused(HttpClient http, string cookie, TimeSpan since)
    {
        while ((Infra.Http.Now - since).TotalSeconds < 5)
        {
            var r = await http.Protected(cookie);
            if (r.Status == 401) return (r.Received - since).TotalMilliseconds;
        }
        return null;
    }

    /// <summary>
    /// The client ports of instance i's listener connections: its process's TCP connections to PostgreSQL (ss, by
    /// pid) that pg_stat_activity lists under the listener's application name.
    /// </summary>
    public static List<int> ListenerPorts(Cluster cluster, int i)
    {
        var (_, ss) = Sys.Run("ss", "-Htnp", "state", "established", "dst", $"127.0.0.1:{cluster.Pg.Port}");
        var pid = cluster[i].Pid;
        var mine = ss.Split('\n')
            .Where(l => l.Contains($"pid={pid},"))
            .Select(l => LocalPort().Match(l))
            .Where(m => m.Success)
            .Select(m => m.Groups[1].Value)
            .ToList();
        if (mine.Count == 0) return [];
        var (code, output) = cluster.Pg.Psql(cluster.Database,
            $"select client_port from pg_stat_activity where application_name = '{ListenerName}' and client_port in ({string.Join(",", mine)})");
        return code != 0 ? [] : output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToList();
    }

    // "0 0 127.0.0.1:43210 127.0.0.1:55450 users:((...))": the first address is the local one.
    [GeneratedRegex(@"^\s*\d+\s+\d+\s+127\.0\.0\.1:(\d+)\s")]
    private static partial Regex LocalPort();
}
