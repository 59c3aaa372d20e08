namespace Reliability.Infra;

/// <summary>
/// The knobs, from arguments (--name value) or environment variables (REL_NAME). --long (REL_LONG=1) gives the
/// by-hand defaults: more kill -9 trials, a longer soak, a bigger barrage.
/// </summary>
public sealed class Settings
{
    /// <summary>The default run (one instance each, LiteDB).</summary>
    public static readonly string[] AllChecks = ["kill9", "races", "barrage", "second-instance", "restart", "soak", "storage-faults"];

    /// <summary>`--checks cluster` (or `--cluster`): three instances on one throwaway PostgreSQL; CI runs them as a stage of their own.</summary>
    public static readonly string[] ClusterChecks =
    [
        "cluster-revocation", "cluster-listener", "cluster-throttle", "cluster-register",
        "cluster-kill9", "cluster-pg-restart", "cluster-pepper", "cluster-migrate",
    ];

    public required string Root { get; init; }
    public required string AppDll { get; init; }
    public required string WorkDir { get; init; }
    public int Seed { get; init; }
    public int Kill9Trials { get; init; }
    public TimeSpan Soak { get; init; }
    public TimeSpan SoakWarmup { get; init; }
    public int Barrage { get; init; }
    public int Clients { get; init; }
    public string[] Checks { get; init; } = AllChecks;

    /// <summary>
    /// The storage every non-cluster check runs on: LiteDb (default) or Postgres (--storage postgres,
    /// REL_STORAGE=Postgres: each data directory gets its own database on the run's throwaway PostgreSQL).
    /// </summary>
    public string Storage { get; init; } = "LiteDb";

    public bool OnPostgres => Storage == "Postgres";

    /// <summary>The checks that are about LiteDB itself (its file lock, its disk faults) and mean nothing on PostgreSQL.</summary>
    public static readonly string[] LiteDbOnlyChecks = ["second-instance", "storage-faults"];
    public bool Keep { get; init; }
    public int PortFirst { get; init; } = 5300;
    public int PortLast { get; init; } = 5359;
    /// <summary>The cluster checks' instances: a sub-range of the runner's 5300-5399 of their own.</summary>
    public int ClusterPortFirst { get; init; } = 5360;
    public int ClusterPortLast { get; init; } = 5399;
    /// <summary>The throwaway PostgreSQL: the first free port in this range.</summary>
    public int PostgresPortFirst { get; init; } = 55450;
    public int PostgresPortLast { get; init; } = 55459;
    /// <summary>cluster-revocation: revocations timed with the session cache on (Sessions:Cache=Off gets half, at least 100).</summary>
    public int RevocationTrials { get; init; }

    public static Settings From(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < args.Length; i++)
        {
            var a = args[i];
            if (!a.StartsWith("--")) throw new ArgumentException($"unexpected argument '{a}'");
            var name = a[2..];
            var eq = name.IndexOf('=');
            if (eq >= 0) values[name[..eq]] = name[(eq + 1)..];
            else if (name is "long" or "keep" or "cluster") values[name] = "1";
            else if (i + 1 < args.Length) values[name] = args[++i];
            else throw new ArgumentException($"{a} needs a value");
        }

        string? Get(string name) =>
            values.TryGetValue(name, out var v) ? v : Environment.GetEnvironmentVariable("REL_" + name.ToUpperInvariant().Replace('-', '_'));
        int Int(string name, int fallback) => Get(name) is { Length: > 0 } v ? int.Parse(v) : fallback;

        var longRun = Get("long") is "1" or "true";
        var root = Path.GetFullPath(Get("root") ?? throw new ArgumentException("--root (REL_ROOT) must name the SliceAuth checkout"));
        var soak = TimeSpan.FromSeconds(Int("soak", longRun ? 900 : 60));
        var checks = Get("checks") is { Length: > 0 } c
            ? c.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : Get("cluster") is "1" or "true" ? ["cluster"] : AllChecks;
        // "cluster" names the whole group.
        checks = checks.SelectMany(name => name == "cluster" ? ClusterChecks : [name]).Distinct().ToArray();
        foreach (var name in checks)
            if (!AllChecks.Contains(name) && !ClusterChecks.Contains(name))
                throw new ArgumentException($"unknown check '{name}' (known: {string.Join(", ", AllChecks.Concat(ClusterChecks))}, cluster)");

        var storage = (Get("storage") ?? "LiteDb").ToLowerInvariant() switch
        {
            "litedb" => "LiteDb",
            "postgres" => "Postgres",
            var other => throw new ArgumentException($"--storage (REL_STORAGE) must be LiteDb or Postgres (got '{other}')"),
        };
        if (storage == "Postgres")
        {
            if (Get("checks") is not { Length: > 0 } && Get("cluster") is not ("1" or "true"))
                checks = checks.Except(LiteDbOnlyChecks).ToArray();
            if (checks.Intersect(LiteDbOnlyChecks).FirstOrDefault() is { } liteOnly)
                throw new ArgumentException($"check '{liteOnly}' is about LiteDB itself and does not run with --storage postgres");
        }

        var work = Path.Combine(Path.GetTempPath(), $"sliceauth-reliability-{Environment.ProcessId}");
        Directory.CreateDirectory(work);
        return new Settings
        {
            Root = root,
            // run.sh passes a build in a directory every user can enter (the unprivileged server must reach it).
            AppDll = Path.GetFullPath(Get("app") is { Length: > 0 } app ? app : Path.Combine(root, "bin", "Release", "net10.0", "SliceAuth.dll")),
            WorkDir = work,
            Seed = Int("seed", Random.Shared.Next(1, int.MaxValue)),
            Kill9Trials = Int("trials", longRun ? 20 : 5),
            Soak = soak,
            SoakWarmup = TimeSpan.FromSeconds(Int("soak-warmup", (int)Math.Clamp(soak.TotalSeconds / 4, 5, 60))),
            Barrage = Int("barrage", longRun ? 20000 : 4000),
            Clients = Int("clients", 6),
            Checks = checks,
            Storage = storage,
            Keep = Get("keep") is "1" or "true",
            PortFirst = Int("port-first", 5300),
            PortLast = Int("port-last", 5359),
            RevocationTrials = Int("revocation-trials", longRun ? 1000 : 200),
        };
    }
}
