using System.Collections.Concurrent;
using System.Diagnostics;
using Reliability.Infra;

namespace Reliability.Checks;

/// <summary>
/// A bounded mixed load for the configured time: each client repeats a flow (register, a wrong password, login,
/// /protected, /me, logout, /protected refused, login again). Every flow is one assertion; no 5xx; the server's
/// VmRSS at the end must be within 1.5× the figure after the warm-up.
/// </summary>
public static class Soak
{
    private const double RssFactor = 1.5;

    public static async Task Run(Check c)
    {
        var dir = c.NewDirectory("data");
        using var server = Server.Start(c.Settings, dir, "soak");
        if (await server.WaitReady(TimeSpan.FromSeconds(30)) is null)
        {
            c.That(false, $"the server was never ready\n{server.Tail()}");
            return;
        }
        using var http = server.Client(timeout: TimeSpan.FromSeconds(10));
        var duration = c.Settings.Soak;
        var warmup = c.Settings.SoakWarmup < duration ? c.Settings.SoakWarmup : duration / 4;
        var clock = Stopwatch.StartNew();
        var flows = 0;
        var requests = 0;
        var serverErrors = new ConcurrentQueue<Reply>();
        var samples = new ConcurrentQueue<(double At, long KiB)>();

        long? warmRss = null;
        var sampler = Task.Run(async () =>
        {
            while (clock.Elapsed < duration && !server.HasExited)
            {
                if (server.RssKiB() is { } kib)
                {
                    samples.Enqueue((clock.Elapsed.TotalSeconds, kib));
                    if (warmRss is null && clock.Elapsed >= warmup) warmRss = kib;
                }
                await Task.Delay(1000);
            }
        });

        var clients = Enumerable.Range(0, c.Settings.Clients).Select(client => Task.Run(async () =>
        {
            // Bounded in count as well as time.
            for (var i = 0; i < 1_000_000 && clock.Elapsed < duration && !server.HasExited; i++)
            {
                var failure = await Flow(http, $"soak{client}n{i}", r =>
                {
                    Interlocked.Increment(ref requests);
                    if (r.Status >= 500) serverErrors.Enqueue(r);
                });
                Interlocked.Increment(ref flows);
                c.That(failure is null, () => $"flow {client}/{i} at {clock.Elapsed.TotalSeconds:0.0} s: {failure}");
            }
        })).ToArray();
        await Task.WhenAll(clients);
        await sampler;
        var endRss = server.RssKiB();

        c.Info($"{flows} flows, {requests} requests in {clock.Elapsed.TotalSeconds:0} s; VmRSS after {warmup.TotalSeconds:0} s warm-up {warmRss} KiB, " +
               $"at the end {endRss} KiB, peak {samples.Select(s => s.KiB).DefaultIfEmpty().Max()} KiB");
        c.That(serverErrors.IsEmpty, () => $"{serverErrors.Count} answers were 5xx, e.g. {string.Join("; ", serverErrors.Take(3))}\n{Barrage.Exceptions(server)}");
        c.That(!server.HasExited, () => $"the server exited during the soak (code {server.ExitCode})\n{server.Tail()}");
        c.That(flows > 0, "no flow ran");
        c.That(warmRss is not null && endRss is not null && endRss <= warmRss * RssFactor, () =>
            $"VmRSS grew from {warmRss} KiB after the warm-up to {endRss} KiB at the end (limit {RssFactor}×); samples (s: KiB): " +
            string.Join(", ", samples.Where((_, i) => i % 5 == 0).Select(s => $"{s.At:0}: {s.KiB}")));
        await server.Terminate(TimeSpan.FromSeconds(20));
    }

    /// <summary>One user's life; returns null when every step answered as the contract says, else what went wrong.</summary>
    private static async Task<string?> Flow(HttpClient http, string user, Action<Reply> seen)
    {
        var password = $"soak secret {user.GetHashCode():x8}!";
        async Task<Reply> Do(Task<Reply> call)
        {
            var r = await call;
            seen(r);
            return r;
        }

        var reg = await Do(http.Register(user, $"{user}@soak.example", password));
        if (reg.Status != 201) return $"register: {reg}";
        var wrong = await Do(http.Login(user, "not the password at all"));
        if (wrong.Status != 401) return $"wrong password: {wrong}";
        var login = await Do(http.Login(user, password));
        if (login.Status != 200 || login.SessionCookie is null) return $"login: {login}";
        var cookie = login.SessionCookie;
        for (var i = 0; i < 3; i++)
        {
            var p = await Do(http.Protected(cookie));
            if (p.Status != 200 || p.Field("username") != user) return $"protected: {p}";
        }
        var me = await Do(http.Me(cookie));
        if (me.Status != 200 || me.Field("id") != reg.Field("id")) return $"me (want id {reg.Field("id")}): {me}";
        var logout = await Do(http.Logout(cookie));
        if (logout.Status != 204) return $"logout: {logout}";
        var refused = await Do(http.Protected(cookie));
        if (refused.Status != 401) return $"protected after logout: {refused}";
        var again = await Do(http.Login(user, password));
        if (again.Status != 200 || again.SessionCookie is null) return $"login again: {again}";
        var live = await Do(http.Protected(again.SessionCookie));
        return live.Status == 200 ? null : $"protected with the new session: {live}";
    }
}
