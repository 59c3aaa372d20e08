namespace Reliability.Infra;

/// <summary>
/// The throwaway PostgreSQL of one run, through tools/postgres/server.sh: started when the first cluster check
/// needs it, on the first free port of 55450-55459, one fresh database per check, stopped at the end (killed when
/// the run is interrupted). SQL goes through psql: the runner has no NuGet packages.
/// </summary>
public sealed class Postgres
{
    private static readonly Lock SharedLock = new();
    private static Postgres? _shared;

    private readonly string _script;
    private readonly string _psql;

    private Postgres(Settings s, string directory, int port)
    {
        _script = Path.Combine(s.Root, "tools", "postgres", "server.sh");
        _psql = PsqlPath();
        Directory = directory;
        Port = port;
    }

    public string Directory { get; }
    public int Port { get; }

    /// <summary>The run's server, started on first use. Throws when it cannot start (the check then fails, saying why).</summary>
    public static Postgres Shared(Settings s)
    {
        lock (SharedLock)
        {
            if (_shared is not null) return _shared;
            // server.sh hands DIR to the postgres user: every directory above it must be traversable.
            File.SetUnixFileMode(s.WorkDir, (UnixFileMode)0b111_101_101);
            var pg = new Postgres(s, Path.Combine(s.WorkDir, "postgres"), FreePort(s));
            pg.Start();
            return _shared = pg;
        }
    }

    /// <summary>End of the run: a fast shutdown (immediate when interrupted), so no server outlives the runner.</summary>
    public static void StopShared(bool immediately = false)
    {
        lock (SharedLock)
        {
            if (_shared is null) return;
            Sys.Run("bash", _shared._script, immediately ? "kill" : "stop", _shared.Directory);
            _shared = null;
        }
    }

    /// <summary>`server.sh start DIR PORT`: initdb the first time, then start; waits until it accepts connections.</summary>
    public void Start()
    {
        var (code, output) = Sys.Run("bash", _script, "start", Directory, Port.ToString());
        if (code != 0) throw new InvalidOperationException($"tools/postgres/server.sh start {Directory} {Port} failed ({code}): {output}");
    }

    /// <summary>`server.sh kill DIR`: an immediate shutdown, as a crash would be.</summary>
    public (int Code, string Output) Kill() => Sys.Run("bash", _script, "kill", Directory);

    public string ConnectionString(string database) => $"Host=127.0.0.1;Port={Port};Username=sliceauth;Database={database}";

    /// <summary>A fresh, empty database (dropped first if an earlier run of the same name left it).</summary>
    public string CreateDatabase(string name)
    {
        var (code, output) = Psql("postgres", $"drop database if exists {name} with (force)", $"create database {name}");
        if (code != 0) throw new InvalidOperationException($"creating database {name} failed ({code}): {output}");
        return ConnectionString(name);
    }

    /// <summary>Runs statements in one psql session; unaligned, tuples only, stops at the first error.</summary>
    public (int Code, string Output) Psql(string database, params string[] statements)
    {
        var args = new List<string> { $"host=127.0.0.1 port={Port} user=sliceauth dbname={database} connect_timeout=5", "-XAtq", "-v", "ON_ERROR_STOP=1" };
        foreach (var sql in statements) { args.Add("-c"); args.Add(sql); }
        return Sys.Run(_psql, [.. args]);
    }

    public string Log(int lines = 20)
    {
        var path = Path.Combine(Directory, "server.log");
        try { return string.Join('\n', File.ReadLines(path).TakeLast(lines).Select(l => "      " + l)); }
        catch (IOException) { return $"      (no {path})"; }
    }

    private static string PsqlPath() =>
        System.IO.Directory.Exists("/usr/lib/postgresql")
            ? System.IO.Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => Path.Combine(d, "bin", "psql"))
                .Where(File.Exists)
                .OrderByDescending(p => Version.TryParse(Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(p))), out var v) ? v : new Version(0, 0))
                .FirstOrDefault() ?? "psql"
            : "psql";

    private static int FreePort(Settings s)
    {
        for (var port = s.PostgresPortFirst; port <= s.PostgresPortLast; port++)
            if (Server.IsFree(port)) return port;
        throw new InvalidOperationException($"no free port for PostgreSQL in {s.PostgresPortFirst}-{s.PostgresPortLast}");
    }
}
