using System.Collections.Concurrent;

namespace SliceAuth.Tests.Infrastructure;

/// <summary>
/// Which storage provider the in-process and out-of-process apps run on: LiteDB in their temporary data
/// directory (default), or, with SLICEAUTH_TEST_STORAGE=Postgres, PostgreSQL on the run's throwaway cluster
/// (one database per data directory, so an app restarted on the same directory finds its data again).
/// Tests of what exists only in one provider carry <c>[Trait("Storage", "LiteDb")]</c> and are filtered out
/// of the PostgreSQL run (see README).
/// </summary>
public static class TestStorage
{
    public const string Variable = "SLICEAUTH_TEST_STORAGE";

    /// <summary>A test pepper (the PostgreSQL provider requires one); a test that sets its own pepper wins.</summary>
    public const string Pepper = "test-pepper-for-the-postgres-runs-0123456789";

    private static readonly ConcurrentDictionary<string, Lazy<string>> Databases = new();

    public static bool IsPostgres => string.Equals(Environment.GetEnvironmentVariable(Variable), "Postgres", StringComparison.OrdinalIgnoreCase);

    /// <summary>The settings that put an app with this data directory on the selected provider (none for LiteDB).</summary>
    public static IReadOnlyDictionary<string, string> SettingsFor(string dataDirectory) => !IsPostgres
        ? new Dictionary<string, string>()
        : new Dictionary<string, string>
        {
            ["Storage:Provider"] = "Postgres",
            ["ConnectionStrings:Postgres"] = Databases.GetOrAdd(Path.GetFullPath(dataDirectory), _ => new Lazy<string>(PostgresServer.CreateDatabase)).Value,
            ["Storage:Postgres:MigrateOnStart"] = "true",
            ["Auth:Pepper"] = Pepper,
        };
}
