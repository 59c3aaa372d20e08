using System.Security.Cryptography;

namespace Reliability.Infra;

/// <summary>
/// SliceAuth instances (A, B, C...) on one fresh PostgreSQL database of the run's server, each with its own data
/// directory and port in the cluster sub-range, all with the same pepper:
///   Storage__Provider=Postgres ConnectionStrings__Postgres=... Auth__Pepper=... [Sessions__Cache=On|Off]
/// The schema is made by `dotnet SliceAuth.dll migrate` before the instances start, unless the check says otherwise.
/// </summary>
public sealed class Cluster : IDisposable
{
    /// <summary>One pepper for the run: long and random, as the spec asks; never printed.</summary>
    public static readonly string Pepper = Convert.ToBase64String(RandomNumberGenerator.GetBytes(36));

    private readonly Check _check;
    private readonly Dictionary<string, string> _environment;
    private readonly Server?[] _servers;
    private readonly HttpClient?[] _clients;

    private Cluster(Check check, Postgres pg, string database, Dictionary<string, string> environment, int size)
    {
        _check = check;
        Pg = pg;
        Database = database;
        _environment = environment;
        _servers = new Server?[size];
        _clients = new HttpClient?[size];
    }

    public Postgres Pg { get; }
    public string Database { get; }
    public string ConnectionString => Pg.ConnectionString(Database);
    public int Size => _servers.Length;
    public Server this[int i] => _servers[i] ?? throw new InvalidOperationException($"instance {Label(i)} is not running");
    public HttpClient Http(int i) => _clients[i] ?? throw new InvalidOperationException($"instance {Label(i)} is not running");
    public IReadOnlyDictionary<string, string> Environment => _environment;

    public static string Label(int i) => ((char)('A' + i)).ToString();

    /// <summary>
    /// A fresh database, migrated, and <paramref name="size"/> instances started at once and ready. Null (after a
    /// failed assertion saying why) when any of that fails.
    /// </summary>
    public static async Task<Cluster?> Start(Check c, string database, int size = 3, IReadOnlyDictionary<string, string>? settings = null, bool migrate = true)
    {
        var cluster = Create(c, database, settings);
        if (cluster is null) return null;
        var ok = true;
        if (migrate)
        {
            var (code, output) = await cluster.Migrate();
            ok = c.That(code == 0, () => $"`dotnet SliceAuth.dll migrate` on {database} exited {code?.ToString() ?? "(still running after 60 s)"}:\n{output}");
        }
        if (ok) ok = await cluster.StartAll(size);
        if (ok) return cluster;
        cluster.Dispose();
        return null;
    }

    /// <summary>A fresh database and no instance yet (the migrate check starts them its own way).</summary>
    public static Cluster? Create(Check c, string database, IReadOnlyDictionary<string, string>? settings = null, int size = 3)
    {
        Postgres pg;
        try
        {
            pg = Postgres.Shared(c.Settings);
            pg.CreateDatabase(database);
        }
        catch (InvalidOperationException e)
        {
            c.That(false, $"PostgreSQL for the cluster: {e.Message}");
            return null;
        }
        var environment = new Dictionary<string, string>
        {
            ["Storage__Provider"] = "Postgres",
            ["ConnectionStrings__Postgres"] = pg.ConnectionString(database),
            ["Auth__Pepper"] = Pepper,
        };
        foreach (var (k, v) in settings ?? new Dictionary<string, string>()) environment[k] = v;
        return new Cluster(c, pg, database, environment, size);
    }

    /// <summary>Starts every instance at once and waits until all are ready (60 s).</summary>
    public async Task<bool> StartAll(int size)
    {
        for (var i = 0; i < size; i++) Launch(i);
        var ready = await Task.WhenAll(Enumerable.Range(0, size).Select(i => this[i].WaitReady(TimeSpan.FromSeconds(60))));
        var ok = true;
        for (var i = 0; i < size; i++)
        {
            var s = this[i];
            ok &= _check.That(ready[i] is not null, () => $"instance {Label(i)} on {Database} was never ready (exited: {s.HasExited}" +
                                                          $"{(s.HasExited ? $", code {s.ExitCode}" : "")})\n{s.Tail(30)}");
        }
        return ok;
    }

    /// <summary>Starts instance i (a new process, a fresh data directory, the next port), not waiting for it.</summary>
    public Server Launch(int i, IReadOnlyDictionary<string, string?>? overrides = null)
    {
        _clients[i]?.Dispose();
        _servers[i]?.Dispose();
        var server = StartProcess($"{Database} {Label(i)}", overrides);
        _servers[i] = server;
        _clients[i] = server.Client(timeout: TimeSpan.FromSeconds(20));
        return server;
    }

    /// <summary>Starts (and waits for) instance i again after a kill.</summary>
    public async Task<TimeSpan?> Restart(int i)
    {
        var server = Launch(i);
        return await server.WaitReady(TimeSpan.FromSeconds(60));
    }

    /// <summary>
    /// One more SliceAuth process on this database, outside the A/B/C slots (a wrong pepper, a migrate run); the
    /// caller disposes it. <paramref name="overrides"/> with a null value removes that setting.
    /// </summary>
    public Server StartProcess(string name, IReadOnlyDictionary<string, string?>? overrides = null, string? command = null)
    {
        var environment = new Dictionary<string, string>(_environment);
        foreach (var (k, v) in overrides ?? new Dictionary<string, string?>())
            if (v is null) environment.Remove(k); else environment[k] = v;
        var s = _check.Settings;
        return Server.Start(s, _check.NewDirectory(name.Replace(' ', '-')), name, environment: environment,
            ports: (s.ClusterPortFirst, s.ClusterPortLast), command: command);
    }

    /// <summary>`dotnet SliceAuth.dll migrate` with this cluster's settings: exit code (null: still running after 60 s) and output.</summary>
    public async Task<(int? Code, string Output)> Migrate(IReadOnlyDictionary<string, string?>? overrides = null)
    {
        using var migrate = StartProcess($"{Database} migrate", overrides, command: "migrate");
        var code = await migrate.WaitExit(TimeSpan.FromSeconds(60));
        return (code, migrate.Tail(20));
    }

    /// <summary>The instances' log tails, for evidence.</summary>
    public string Tails(int lines = 10) =>
        string.Join('\n', Enumerable.Range(0, Size).Where(i => _servers[i] is not null).Select(i => $"    instance {Label(i)}:\n{_servers[i]!.Tail(lines)}"));

    public void Dispose()
    {
        foreach (var http in _clients) http?.Dispose();
        foreach (var server in _servers) server?.Dispose();
    }
}
