using System.Collections.Concurrent;
using Reliability.Infra;

namespace Reliability.Checks;

/// <summary>
/// kill -9 in the middle of a storm of registrations and logins, then a restart on the same data directory:
/// every registration answered 201 before the kill must log in, and /health/ready must answer 200 within 2 s of
/// the new process's start. Each trial must have had at least one registration acknowledged. One assertion per
/// acknowledged user, plus the restart's own.
/// </summary>
public static class Kill9
{
    private static readonly TimeSpan ReadyLimit = TimeSpan.FromSeconds(2);

    public static async Task Run(Check c)
    {
        var rng = new Random(c.Settings.Seed ^ 0x4b494c4c);
        var readyTimes = new List<string>();
        for (var trial = 1; trial <= c.Settings.Kill9Trials; trial++)
            readyTimes.Add(await Trial(c, trial, rng.Next(300, 3000), rng.Next()));
        c.Info($"restart-to-ready times: {string.Join(", ", readyTimes)}");
    }

    private static async Task<string> Trial(Check c, int trial, int killAfterMs, int seed)
    {
        var dir = c.NewDirectory($"t{trial}");
        var acked = new ConcurrentQueue<(string User, string Password, DateTime At)>();
        var unexpected = new ConcurrentQueue<Reply>();
        int requests = 0;
        var firstAckMs = -1;

        using (var first = Server.Start(c.Settings, dir, $"kill9 trial {trial}"))
        {
            if (await first.WaitReady(TimeSpan.FromSeconds(30)) is null)
            {
                c.That(false, $"trial {trial}: the first start was never ready\n{first.Tail()}");
                return "n/a";
            }

            using var http = first.Client(timeout: TimeSpan.FromSeconds(10));
            using var stop = new CancellationTokenSource();
            var clients = Enumerable.Range(0, c.Settings.Clients).Select(client => Task.Run(async () =>
            {
                var local = new Random(seed + client);
                var mine = new List<(string User, string Password)>();
                // Bounded in count; the kill (or the 30 s cap below) ends it in time.
                for (var i = 0; i < 20_000 && !stop.IsCancellationRequested; i++)
                {
                    Interlocked.Increment(ref requests);
                    if (mine.Count > 0 && local.Next(3) == 0)
                    {
                        var (user, password) = mine[local.Next(mine.Count)];
                        var r = await http.Login(user, password);
                        if (r.NoAnswer) break;
                        if (r.Status != 200) unexpected.Enqueue(r);
                    }
                    else
                    {
                        var user = $"k{trial}c{client}n{i}x{local.Next(1000)}";
                        var password = $"k9 secret {local.Next():x8}{local.Next():x8}"; // never containing the username (password policy)
                        var r = await http.Register(user, $"{user}@kill9.example", password);
                        if (r.NoAnswer) break;
                        if (r.Status == 201)
                        {
                            acked.Enqueue((user, password, DateTime.UtcNow));
                            mine.Add((user, password));
                        }
                        else unexpected.Enqueue(r);
                    }
                }
            })).ToArray();

            // The kill moment counts from the first acknowledged registration: on a busy machine the first one can
            // take over a second, and a kill before it would test nothing (bounded: the assertion below fails then).
            var sinceReady = System.Diagnostics.Stopwatch.StartNew();
            while (acked.IsEmpty && sinceReady.Elapsed < TimeSpan.FromSeconds(30) && !clients.All(t => t.IsCompleted))
                await Task.Delay(5);
            firstAckMs = acked.IsEmpty ? -1 : (int)sinceReady.ElapsedMilliseconds;
            await Task.Delay(killAfterMs);
            first.Kill9();
            stop.Cancel();
            var drained = Task.WhenAll(clients);
            await Task.WhenAny(drained, Task.Delay(TimeSpan.FromSeconds(30)));
            c.That(drained.IsCompleted, $"trial {trial}: the storm's clients did not stop within 30 s of the kill");
            c.That(unexpected.IsEmpty, () =>
                $"trial {trial}: before the kill, {unexpected.Count} storm answers were neither 201 nor 200, e.g.\n      " +
                string.Join("\n      ", unexpected.Take(5)) + "\n" + first.Tail(15));
        }

        var files = string.Join(", ", Directory.EnumerateFiles(dir).Select(f => $"{Path.GetFileName(f)} {new FileInfo(f).Length} B"));
        var firstAck = firstAckMs < 0 ? "no registration acknowledged within 30 s of ready" : $"first registration acknowledged {firstAckMs} ms after ready";
        c.Info($"trial {trial}: {firstAck}, killed {killAfterMs} ms after that, {requests} requests, {acked.Count} registrations acknowledged; files: {files}");
        // A trial in which nothing was acknowledged would pass the durability assertions below without testing them.
        c.That(!acked.IsEmpty, () => $"trial {trial}: no registration was acknowledged before the kill ({requests} requests sent), so the trial proves nothing");

        using var second = Server.Start(c.Settings, dir, $"kill9 trial {trial} restart");
        var ready = await second.WaitReady(TimeSpan.FromSeconds(30));
        if (!c.That(ready is not null, () =>
                $"trial {trial}: the restart after kill -9 failed (exited: {second.HasExited}{(second.HasExited ? $", code {second.ExitCode}" : "")})\n{second.Tail(40)}"))
        {
            c.That(false, $"trial {trial}: {acked.Count} acknowledged users could not be checked (no server)");
            return "failed";
        }
        c.That(ready <= ReadyLimit, () => $"trial {trial}: /health/ready answered 200 only {ready!.Value.TotalMilliseconds:0} ms after the restart's process start (limit {ReadyLimit.TotalMilliseconds:0} ms)\n{second.Tail(12)}");

        using var check = second.Client(timeout: TimeSpan.FromSeconds(10));
        var lost = new ConcurrentQueue<string>();
        await Parallel.ForEachAsync(acked, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (u, _) =>
        {
            var r = await check.Login(u.User, u.Password);
            if (!c.That(r.Status == 200, () => $"trial {trial}: user '{u.User}', acknowledged 201 at {u.At:HH:mm:ss.fff}Z before the kill, does not log in after the restart: {r}"))
                lost.Enqueue(u.User);
        });
        if (!lost.IsEmpty) c.Info($"trial {trial}: {lost.Count} of {acked.Count} acknowledged users lost; the restart's log:\n{second.Tail(20)}");

        var fresh = await check.Register($"after{trial}x{seed % 10000}", $"after{trial}x{seed % 10000}@kill9.example", "a fresh password 123");
        c.That(fresh.Status == 201, () => $"trial {trial}: a new registration after the restart: {fresh}");
        await second.Terminate(TimeSpan.FromSeconds(15));
        return $"{ready!.Value.TotalMilliseconds:0} ms";
    }
}
