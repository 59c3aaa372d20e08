using Reliability.Infra;

namespace Reliability.Checks;

/// <summary>
/// Schema migration: three instances with Storage:Postgres:MigrateOnStart=true started at once on a fresh database
/// all become ready and share the schema (a user registered on A logs in on B and C). An instance without it on a
/// fresh database refuses to start (exit 1, one line that mentions migrate); `dotnet SliceAuth.dll migrate` then
/// exits 0 (twice: it is idempotent) and the same instance starts.
/// </summary>
public static class ClusterMigrate
{
    public static async Task Run(Check c)
    {
        using (var together = Cluster.Create(c, "cluster_migrate_on_start", new Dictionary<string, string> { ["Storage__Postgres__MigrateOnStart"] = "true" }))
        {
            if (together is null) return;
            if (await together.StartAll(3))
            {
                c.Info("three instances with MigrateOnStart=true on a fresh database: ready after " +
                       string.Join(", ", Enumerable.Range(0, 3).Select(i => $"{Cluster.Label(i)} {together[i].SinceStart.TotalMilliseconds:0} ms")));
                var reg = await together.Http(0).Register("migrated", "migrated@cluster.example", "migrate check password");
                c.That(reg.Status == 201, () => $"a registration on A after the concurrent migration: {reg}");
                for (var i = 1; i < 3; i++)
                {
                    var login = await together.Http(i).Login("migrated", "migrate check password");
                    c.That(login.Status == 200, () => $"a login on {Cluster.Label(i)} after the concurrent migration: {login}");
                }
            }
        }

        using var fresh = Cluster.Create(c, "cluster_migrate_fresh", new Dictionary<string, string> { ["Storage__Postgres__MigrateOnStart"] = "false" });
        if (fresh is null) return;
        using (var refused = fresh.StartProcess("cluster_migrate_fresh unmigrated"))
        {
            var code = await refused.WaitExit(TimeSpan.FromSeconds(30));
            var lines = refused.Output.Select(l => l[(l.IndexOf("] ", StringComparison.Ordinal) + 2)..]).Where(l => l.Trim().Length > 0).ToList();
            c.Info($"without MigrateOnStart on a fresh database: exit code {code?.ToString() ?? "none (still running)"}; says: {Reply.Clip(string.Join(" | ", lines), 400)}");
            c.That(code == 1, () => $"an instance on a fresh database without MigrateOnStart: exit code {code?.ToString() ?? "none, still running after 30 s"} (want 1)\n{refused.Tail(15)}");
            c.That(lines.Count == 1 && lines[0].Contains("migrate", StringComparison.OrdinalIgnoreCase),
                () => $"an instance on a fresh database without MigrateOnStart: want one line mentioning migrate, got {lines.Count}:\n{refused.Tail(15)}");
        }
        for (var run = 1; run <= 2; run++)
        {
            var (code, output) = await fresh.Migrate();
            c.That(code == 0, () => $"`dotnet SliceAuth.dll migrate` run {run} exited {code?.ToString() ?? "(still running after 60 s)"}:\n{output}");
        }
        if (await fresh.StartAll(1))
        {
            var reg = await fresh.Http(0).Register("aftermigrate", "aftermigrate@cluster.example", "migrate check password");
            c.That(reg.Status == 201, () => $"a registration after `migrate`: {reg}");
        }
    }
}
