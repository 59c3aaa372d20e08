using System.Collections.Concurrent;
using Reliability.Infra;

namespace Reliability.Checks;

/// <summary>
/// A second process on a data directory in use must exit non-zero within a few seconds, naming the directory,
/// without ever serving; the first keeps serving (under load while the second tries) and loses nothing, also
/// across its own restart.
/// </summary>
public static class SecondInstance
{
    private static readonly TimeSpan ExitLimit = TimeSpan.FromSeconds(5);

    public static async Task Run(Check c)
    {
        var dir = c.NewDirectory("data");
        var acked = new ConcurrentQueue<(string User, string Password)>();
        string cookie;
        using (var first = Server.Start(c.Settings, dir, "second-instance first"))
        {
            if (await first.WaitReady(TimeSpan.FromSeconds(30)) is null)
            {
                c.That(false, $"the first instance was never ready\n{first.Tail()}");
                return;
            }
            using var http = first.Client(timeout: TimeSpan.FromSeconds(10));
            for (var i = 0; i < 20; i++)
            {
                var r = await http.Register($"first{i}", $"first{i}@second.example", $"first password {i}");
                if (c.That(r.Status == 201, () => $"set-up registration: {r}")) acked.Enqueue(($"first{i}", $"first password {i}"));
            }
            var login = await http.Login("first0", "first password 0");
            cookie = login.SessionCookie ?? "";
            c.That(login.Status == 200 && cookie.Length > 0, () => $"set-up login: {login}");

            // Load on the first instance while the second one tries to start.
            using var stop = new CancellationTokenSource();
            var unexpected = new ConcurrentQueue<Reply>();
            var load = Enumerable.Range(0, 3).Select(client => Task.Run(async () =>
            {
                for (var i = 0; i < 5000 && !stop.IsCancellationRequested; i++)
                {
                    var user = $"during{client}n{i}";
                    var r = await http.Register(user, $"{user}@second.example", $"during password {i}");
                    if (r.Status == 201) acked.Enqueue((user, $"during password {i}"));
                    else unexpected.Enqueue(r);
                    var p = await http.Protected(cookie);
                    if (p.Status != 200) unexpected.Enqueue(p);
                }
            })).ToArray();

            using (var second = Server.Start(c.Settings, dir, "second-instance second"))
            {
                var code = await second.WaitExit(ExitLimit);
                if (code is null)
                {
                    var ready = await second.WaitReady(TimeSpan.FromSeconds(3));
                    c.That(false, $"the second instance on {dir} was still running {ExitLimit.TotalSeconds:0} s after its start" +
                                  $"{(ready is not null ? " and answered /health/ready 200" : "")}\n{second.Tail(15)}");
                    second.Kill9();
                }
                else
                {
                    c.That(code != 0, () => $"the second instance exited with code 0\n{second.Tail(15)}");
                    var output = string.Join('\n', second.Output);
                    c.That(output.Contains(dir), () => $"the second instance's output does not name the directory {dir}:\n{second.Tail(15)}");
                    c.Info($"second instance: exit code {code} after {second.SinceStart.TotalMilliseconds:0} ms; says: " +
                           Reply.Clip(second.Output.FirstOrDefault(l => l.Contains(dir))?.Trim() ?? "(nothing naming the directory)", 300));
                }
            }

            await Task.Delay(500);
            stop.Cancel();
            await Task.WhenAll(load);
            c.That(unexpected.IsEmpty, () => $"the first instance answered {unexpected.Count} requests wrongly while the second started, e.g.\n      " +
                                            string.Join("\n      ", unexpected.Take(5)) + "\n" + first.Tail(10));
            var after = await http.Protected(cookie);
            c.That(after.Status == 200, () => $"the first instance's session after the second's attempt: {after}");
            c.Info($"{acked.Count} users acknowledged by the first instance");
            await VerifyUsers(c, http, acked, "on the first instance after the second's attempt");
            var code1 = await first.Terminate(TimeSpan.FromSeconds(15));
            c.That(code1 == 0, () => $"the first instance did not stop cleanly on SIGTERM (code {code1?.ToString() ?? "none, killed"})\n{first.Tail(10)}");
        }

        // Nothing was lost: a new process on the directory has every user and the session.
        using var third = Server.Start(c.Settings, dir, "second-instance restart");
        if (!c.That(await third.WaitReady(TimeSpan.FromSeconds(30)) is not null, () => $"the restart after the test did not become ready\n{third.Tail()}")) return;
        using var http3 = third.Client(timeout: TimeSpan.FromSeconds(10));
        await VerifyUsers(c, http3, acked, "after the first instance's restart");
        var session = await http3.Protected(cookie);
        c.That(session.Status == 200, () => $"the first instance's session after its restart: {session}");
        await third.Terminate(TimeSpan.FromSeconds(15));
    }

    private static async Task VerifyUsers(Check c, HttpClient http, IEnumerable<(string User, string Password)> users, string when)
    {
        var missing = new ConcurrentQueue<Reply>();
        await Parallel.ForEachAsync(users, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (u, _) =>
        {
            var r = await http.Login(u.User, u.Password);
            if (r.Status != 200) missing.Enqueue(r);
        });
        c.That(missing.IsEmpty, () => $"{missing.Count} acknowledged users do not log in {when}, e.g. {string.Join("; ", missing.Take(3))}");
    }
}
