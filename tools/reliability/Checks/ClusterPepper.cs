using Reliability.Infra;

namespace Reliability.Checks;

/// <summary>
/// An instance with another Auth:Pepper than the one the database's passwords were hashed with (or none at all)
/// refuses to start: exit 1 within 30 s, one line of output that names Auth:Pepper and shows neither pepper. The
/// instance already running keeps serving, and its users still log in.
/// </summary>
public static class ClusterPepper
{
    private static readonly TimeSpan ExitLimit = TimeSpan.FromSeconds(30);

    public static async Task Run(Check c)
    {
        using var cluster = await Cluster.Start(c, "cluster_pepper", size: 1);
        if (cluster is null) return;
        const string user = "pepperuser";
        const string password = "pepper check password";
        var reg = await cluster.Http(0).Register(user, $"{user}@cluster.example", password);
        if (!c.That(reg.Status == 201, () => $"set-up registration: {reg}")) return;

        var otherPepper = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(36));
        await Refused(c, cluster, "a different Auth:Pepper", new Dictionary<string, string?> { ["Auth__Pepper"] = otherPepper }, otherPepper);
        await Refused(c, cluster, "no Auth:Pepper", new Dictionary<string, string?> { ["Auth__Pepper"] = null }, null);

        var login = await cluster.Http(0).Login(user, password);
        c.That(login.Status == 200, () => $"the running instance after the refused starts: {login}");
    }

    private static async Task Refused(Check c, Cluster cluster, string what, IReadOnlyDictionary<string, string?> overrides, string? otherPepper)
    {
        using var wrong = cluster.StartProcess($"cluster_pepper {what.Replace(' ', '-').Replace(':', '-')}", overrides);
        var code = await wrong.WaitExit(ExitLimit);
        if (code is null)
        {
            var ready = await wrong.WaitReady(TimeSpan.FromSeconds(2));
            c.That(false, $"{what}: the instance was still running {ExitLimit.TotalSeconds:0} s after its start{(ready is not null ? " and answered /health/ready 200" : "")}\n{wrong.Tail(15)}");
            return;
        }
        var lines = wrong.Output.Select(l => l[(l.IndexOf("] ", StringComparison.Ordinal) + 2)..]).Where(l => l.Trim().Length > 0).ToList();
        c.Info($"{what}: exit code {code} after {wrong.SinceStart.TotalMilliseconds:0} ms; says: {Reply.Clip(string.Join(" | ", lines), 400)}");
        c.That(code == 1, () => $"{what}: exit code {code} (want 1)\n{wrong.Tail(15)}");
        c.That(lines.Count == 1 && lines[0].Contains("Auth:Pepper"), () => $"{what}: want one line naming Auth:Pepper, got {lines.Count}:\n{wrong.Tail(15)}");
        c.That(!lines.Any(l => l.Contains(Cluster.Pepper) || otherPepper is not null && l.Contains(otherPepper)), () => $"{what}: the output shows a pepper");
    }
}
