using System.Net;
using SliceAuth.Tests.Infrastructure;

namespace SliceAuth.Tests.Storage.Postgres;

/// <summary>
/// Starting on PostgreSQL, as an operator meets it: what is refused (one line, exit 1, naming the setting)
/// and how the schema gets there (`migrate`, or migrate-on-start with several instances at once).
/// </summary>
[Trait("Storage", "Postgres")]
public sealed class PostgresStartTests : IDisposable
{
    private readonly string _dir = TempDirectory.Create();
    private readonly string _database = PostgresServer.CreateDatabase();

    private Dictionary<string, string> Settings(bool migrateOnStart = false, string? pepper = TestStorage.Pepper) => new()
    {
        ["Storage__Provider"] = "Postgres",
        ["ConnectionStrings__Postgres"] = _database,
        ["Storage__Postgres__MigrateOnStart"] = migrateOnStart ? "true" : "false",
        ["Auth__Pepper"] = pepper ?? "",
    };

    private Dictionary<string, string> With(string key, string value)
    {
        var settings = Settings();
        settings[key] = value;
        return settings;
    }

    [Fact]
    public async Task Postgres_without_a_connection_string_is_refused_naming_it()
    {
        using var app = AppProcess.Start(_dir, With("ConnectionStrings__Postgres", ""));
        await app.AssertRefusedInOneLine("ConnectionStrings:Postgres");
    }

    [Fact]
    public async Task A_malformed_connection_string_is_refused_naming_the_key_and_never_echoing_it()
    {
        using var app = AppProcess.Start(_dir, With("ConnectionStrings__Postgres", "Host=127.0.0.1;Password=hunter2-secret;Frobnicate=yes"));
        await app.AssertRefusedInOneLine("ConnectionStrings:Postgres");
        Assert.DoesNotContain(app.Output, l => l.Contains("hunter2-secret"));
    }

    [Fact]
    public async Task Postgres_without_a_pepper_is_refused_naming_Auth_Pepper()
    {
        using var app = AppProcess.Start(_dir, Settings(migrateOnStart: true, pepper: null));
        await app.AssertRefusedInOneLine("Auth:Pepper");
    }

    [Fact]
    public async Task An_unreachable_server_is_refused_in_one_line()
    {
        using var app = AppProcess.Start(_dir, With("ConnectionStrings__Postgres", "Host=127.0.0.1;Port=1;Username=sliceauth;Database=nothing;Timeout=2"));
        await app.AssertRefusedInOneLine("PostgreSQL");
    }

    [Fact]
    public async Task A_new_database_is_refused_until_migrate_runs_and_then_starts()
    {
        using (var refused = AppProcess.Start(_dir, Settings()))
            Assert.Contains("migrate", await refused.AssertRefusedInOneLine("schema"));

        using (var migrate = AppProcess.Start(_dir, Settings(), "migrate"))
        {
            Assert.Equal(0, await migrate.WaitForExit(TimeSpan.FromSeconds(60)));
            Assert.Contains(migrate.Output, l => l.Contains("schema version 0 -> "));
        }
        using (var again = AppProcess.Start(_dir, Settings(), "migrate"))
        {
            Assert.Equal(0, await again.WaitForExit(TimeSpan.FromSeconds(60)));
            Assert.Contains(again.Output, l => l.Contains("already at version"));
        }

        using var app = AppProcess.Start(_dir, Settings());
        await app.WaitUntilReady();
        Assert.Equal(HttpStatusCode.Created, (await app.Client().Register("migrated")).StatusCode);
    }

    [Fact]
    public async Task A_schema_newer_than_this_build_is_refused()
    {
        using (var migrate = AppProcess.Start(_dir, Settings(), "migrate"))
            Assert.Equal(0, await migrate.WaitForExit(TimeSpan.FromSeconds(60)));
        await PostgresServer.ExecuteAsync(_database, "UPDATE schema_version SET version = 999");

        using var app = AppProcess.Start(_dir, Settings(migrateOnStart: true));
        Assert.Contains("newer", await app.AssertRefusedInOneLine("999"));
    }

    [Fact]
    public async Task Three_instances_migrating_on_start_at_once_all_become_ready_on_one_schema()
    {
        var apps = Enumerable.Range(0, 3).Select(_ => AppProcess.Start(TempDirectory.Create(), Settings(migrateOnStart: true))).ToList();
        try
        {
            await Task.WhenAll(apps.Select(a => a.WaitUntilReady(TimeSpan.FromSeconds(60))));
            Assert.Equal(HttpStatusCode.Created, (await apps[0].Client().Register("everywhere")).StatusCode);
            Assert.Equal(HttpStatusCode.Conflict, (await apps[2].Client().Register("EVERYWHERE")).StatusCode);
        }
        finally
        {
            foreach (var app in apps) app.Dispose();
        }
    }

    [Fact]
    public async Task Another_pepper_on_the_same_database_is_refused_naming_Auth_Pepper()
    {
        using (var first = AppProcess.Start(_dir, Settings(migrateOnStart: true)))
        {
            await first.WaitUntilReady();
            Assert.Equal(HttpStatusCode.Created, (await first.Client().Register("peppered")).StatusCode);
        }

        using var other = AppProcess.Start(_dir, Settings(migrateOnStart: true, pepper: new string('B', 40)));
        await other.AssertRefusedInOneLine("Auth:Pepper");
        Assert.DoesNotContain(other.Output, l => l.Contains(new string('B', 40)));
    }

    public void Dispose() => TempDirectory.Delete(_dir);
}
