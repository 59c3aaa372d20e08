using System.Collections.Concurrent;
using Reliability.Infra;

namespace Reliability.Checks;

/// <summary>
/// kill -9 of a random instance under mixed load (registrations, logins, logouts on all three), at a seeded random
/// moment 0.3-3 s after the first acknowledged registration; the load goes on for a second on the survivors, then
/// the killed instance is restarted. Every registration answered 201 logs in (on any instance, the restarted one
/// included), every logout answered 204 keeps its cookie refused everywhere, and the survivors answered nothing
/// but 201/200/204 throughout.
/// </summary>
public static class ClusterKill9
{
    public static async Task Run(Check c)
    {
        using var cluster = await Cluster.Start(c, "cluster_kill9");
        if (cluster is null) return;
        var rng = new Random(c.Settings.Seed ^ 0x4b394b39);
        for (var trial = 1; trial <= c.Settings.Kill9Trials; trial++)
            if (!await Trial(c, cluster, trial, rng.Next(3), rng.Next(300, 3000), rng.Next())) break;
    }

    private static async Task<bool> Trial(Check c, Cluster cluster, int trial, int victim, int killAfterMs, int seed)
    {
        var what = $"trial {trial} (kill -9 {Cluster.Label(victim)})";
        var acked = new ConcurrentQueue<(string User, string Password)>();
        var loggedOut = new ConcurrentQueue<string>();
        var unexpected = new ConcurrentQueue<(int Instance, Reply Reply)>();
        var killed = false;
        var requests = 0;
        using var stop = new CancellationTokenSource();

        var clients = Enumerable.Range(0, c.Settings.Clients).Select(client => Task.Run(async () =>
        {
            var local = new Random(seed + client);
            var users = new List<(string User, string Password)>();
            var cookies = new List<string>();
            for (var i = 0; i < 20_000 && !stop.IsCancellationRequested; i++)
            {
                Interlocked.Increment(ref requests);
                var instance = local.Next(3);
                var http = cluster.Http(instance);
                Reply r;
                var roll = local.Next(4);
                if (roll == 0 && cookies.Count > 0)
                {
                    var cookie = cookies[local.Next(cookies.Count)];
                    cookies.Remove(cookie);
                    r = await http.Logout(cookie);
                    if (r.Status == 204) loggedOut.Enqueue(cookie);
                }
                else if (roll == 1 && users.Count > 0)
                {
                    var (user, password) = users[local.Next(users.Count)];
                    r = await http.Login(user, password);
                    if (r.SessionCookie is { } cookie) cookies.Add(cookie);
                }
                else
                {
                    var user = $"c9t{trial}c{client}n{i}x{local.Next(1000)}";
                    var password = $"c9 secret {local.Next():x8}{local.Next():x8}";
                    r = await http.Register(user, $"{user}@cluster.example", password);
                    if (r.Status == 201)
                    {
                        acked.Enqueue((user, password));
                        users.Add((user, password));
                    }
                }
                // The killed instance may fail or answer anything while dying; the survivors may not.
                if (r.Status is not (200 or 201 or 204) && !(Volatile.Read(ref killed) && instance == victim)) unexpected.Enqueue((instance, r));
            }
        })).ToArray();

        var started = Infra.Http.Now;
        while (acked.IsEmpty && (Infra.Http.Now - started).TotalSeconds < 30) await Task.Delay(5);
        await Task.Delay(killAfterMs);
        Volatile.Write(ref killed, true);
        cluster[victim].Kill9();
        // The load goes on against the survivors (and the dead instance's port) for a second.
        await Task.Delay(1000);
        stop.Cancel();
        var drained = Task.WhenAll(clients);
        await Task.WhenAny(drained, Task.Delay(TimeSpan.FromSeconds(30)));
        c.That(drained.IsCompleted, $"{what}: the load's clients did not stop within 30 s of the kill");
        c.Info($"{what} {killAfterMs} ms after the first acknowledged registration: {requests} requests, {acked.Count} registrations and " +
               $"{loggedOut.Count} logouts acknowledged");
        if (!c.That(!acked.IsEmpty && !loggedOut.IsEmpty, () => $"{what}: nothing to verify ({acked.Count} registrations, {loggedOut.Count} logouts acknowledged)"))
            return false;
        c.That(unexpected.IsEmpty, () => $"{what}: {unexpected.Count} answers other than 200/201/204 (the killed instance's after the kill excepted), e.g.\n      " +
                                         string.Join("\n      ", unexpected.Take(5).Select(u => $"{Cluster.Label(u.Instance)}: {u.Reply}")) + "\n" + cluster.Tails(8));

        var ready = await cluster.Restart(victim);
        if (!c.That(ready is not null, () => $"{what}: the restart of {Cluster.Label(victim)} was never ready\n{cluster[victim].Tail(30)}")) return false;

        var lost = new ConcurrentQueue<Reply>();
        var n = 0;
        await Parallel.ForEachAsync(acked, new ParallelOptions { MaxDegreeOfParallelism = 6 }, async (u, _) =>
        {
            var r = await cluster.Http(Interlocked.Increment(ref n) % 3).Login(u.User, u.Password);
            if (r.Status != 200) lost.Enqueue(r);
        });
        c.That(lost.IsEmpty, () => $"{what}: {lost.Count} of {acked.Count} acknowledged registrations do not log in after the kill, e.g. " +
                                   string.Join("; ", lost.Take(3)));
        var revived = new ConcurrentQueue<(int Instance, Reply Reply)>();
        await Parallel.ForEachAsync(loggedOut, new ParallelOptions { MaxDegreeOfParallelism = 6 }, async (cookie, _) =>
        {
            for (var i = 0; i < 3; i++)
            {
                var r = await cluster.Http(i).Protected(cookie);
                if (r.Status != 401) revived.Enqueue((i, r));
            }
        });
        c.That(revived.IsEmpty, () => $"{what}: {revived.Count} requests with cookies of acknowledged logouts were not refused, e.g. " +
                                      string.Join("; ", revived.Take(3).Select(u => $"{Cluster.Label(u.Instance)}: {u.Reply}")));
        return true;
    }
}
