using System.Collections.Concurrent;

namespace Reliability.Infra;

/// <summary>
/// --storage postgres: the non-cluster checks' servers on PostgreSQL instead of LiteDB. Each data directory a
/// check uses gets a database of its own on the run's throwaway server, so a server restarted on the same
/// directory (kill9, restart) finds its data again; migrated on start, with the run's pepper.
/// </summary>
public static class PostgresStorage
{
    private static readonly ConcurrentDictionary<string, Lazy<string>> Databases = new();
    private static int _count;

    public static IReadOnlyDictionary<string, string> For(Settings s, string dataDirectory) => new Dictionary<string, string>
    {
        ["Storage__Provider"] = "Postgres",
        ["ConnectionStrings__Postgres"] = Databases.GetOrAdd(Path.GetFullPath(dataDirectory),
            _ => new Lazy<string>(() => Postgres.Shared(s).CreateDatabase($"rel_{Interlocked.Increment(ref _count)}"))).Value,
        ["Storage__Postgres__MigrateOnStart"] = "true",
        ["Auth__Pepper"] = Cluster.Pepper,
    };
}
