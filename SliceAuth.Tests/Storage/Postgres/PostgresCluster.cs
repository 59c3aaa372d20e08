using Npgsql;
using SliceAuth.Tests.Infrastructure;

namespace SliceAuth.Tests.Storage.Postgres;

/// <summary>
/// Several in-process instances sharing one new PostgreSQL database of the run's cluster, as a deployment of
/// N SliceAuth instances would (each its own cache, listener, and in-memory state).
/// </summary>
public abstract class PostgresCluster : IDisposable
{
    private readonly List<SliceAuthApp> _apps = [];

    protected string ConnectionString { get; } = PostgresServer.CreateDatabase();

    /// <summary>The settings every instance of this database runs with, plus <paramref name="extra"/>.</summary>
    protected Dictionary<string, string?> InstanceSettings(IReadOnlyDictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "Postgres",
            ["ConnectionStrings:Postgres"] = ConnectionString,
            ["Storage:Postgres:MigrateOnStart"] = "true",
            ["Auth:Pepper"] = TestStorage.Pepper,
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>()) settings[key] = value;
        return settings;
    }

    /// <summary>A started instance (its first client call starts it).</summary>
    protected SliceAuthApp Instance(IReadOnlyDictionary<string, string?>? extra = null, ManualClock? clock = null,
        Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? services = null)
    {
        var app = new SliceAuthApp(settings: InstanceSettings(extra), clock: clock, services: services);
        _apps.Add(app);
        _ = app.Services; // start it now: migrate-on-start runs once, before the test's requests
        return app;
    }

    /// <summary>Runs SQL as an operator would, on this database.</summary>
    protected Task Sql(string sql) => PostgresServer.ExecuteAsync(ConnectionString, sql);

    /// <summary>One value read as an operator would, from this database.</summary>
    protected async Task<object?> Scalar(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    /// <summary>The backend pids of the instances' revocation listeners on this database.</summary>
    protected async Task<int[]> ListenerPids()
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var select = new NpgsqlCommand(
            "SELECT pid FROM pg_stat_activity WHERE application_name = 'sliceauth-listener' AND datname = current_database()", connection);
        await using var reader = await select.ExecuteReaderAsync();
        var pids = new List<int>();
        while (await reader.ReadAsync()) pids.Add(reader.GetInt32(0));
        return pids.Order().ToArray();
    }

    /// <summary>Waits until every one of <paramref name="count"/> instances is listening (a listener per instance).</summary>
    protected async Task<int[]> AwaitListeners(int count)
    {
        for (var i = 0; i < 200; i++)
        {
            var pids = await ListenerPids();
            if (pids.Length == count) return pids;
            await Task.Delay(25);
        }
        throw new Xunit.Sdk.XunitException($"Expected {count} revocation listeners on the database.");
    }

    public virtual void Dispose()
    {
        foreach (var app in _apps) app.Dispose();
        GC.SuppressFinalize(this);
    }
}
