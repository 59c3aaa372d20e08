using Microsoft.Extensions.DependencyInjection;
using SliceAuth.Data;
using SliceAuth.Data.Postgres;
using SliceAuth.Tests.Infrastructure;

namespace SliceAuth.Tests.Storage.Contract;

/// <summary>The second-factor store contract against the PostgreSQL provider, on a new database of the test run's cluster.</summary>
[Trait("Storage", "Postgres")]
public sealed class PostgresSecondFactorStoreContract : SecondFactorStoreContract
{
    protected override IDisposable? AddStorage(IServiceCollection services) => PostgresContractStorage.Add(services);

    [Fact]
    public async Task A_database_at_version_2_migrates_to_the_second_factor_schema_and_its_accounts_can_enrol()
    {
        var connectionString = PostgresServer.CreateDatabase();
        foreach (var migration in PostgresMigrations.All.Where(m => m.Version <= 2))
            await PostgresServer.ExecuteAsync(connectionString, migration.Sql);
        await PostgresServer.ExecuteAsync(connectionString, "CREATE TABLE schema_version (version int NOT NULL); INSERT INTO schema_version VALUES (2)");
        var id = Guid.NewGuid();
        await PostgresServer.ExecuteAsync(connectionString,
            "INSERT INTO users (id, username, username_key, email, email_key, password_hash, credential_stamp, created_at) " +
            $"VALUES ('{id}', 'old', 'old', 'old@example.com', 'old@example.com', 'h', '{Guid.Empty}', now())");

        await using var db = new PostgresDatabase(PostgresSetup.DataSource(connectionString));
        Assert.Equal(2, await PostgresMigrations.MigrateAsync(db.Source));

        Assert.Contains(PostgresMigrations.All, m => m is { Version: 3, Name: "0003_second_factor" });
        var factors = new PostgresSecondFactorStore(db);
        Assert.Null(await factors.FindAsync(id));
        Assert.True(await factors.SetPendingSecretAsync(id, "secret"));
        Assert.True(await factors.EnableAsync(id, Guid.Empty, Guid.NewGuid(), "secret", 1, ["code"], "no-session"));
        Assert.True((await factors.FindAsync(id))!.Enabled);
    }
}
