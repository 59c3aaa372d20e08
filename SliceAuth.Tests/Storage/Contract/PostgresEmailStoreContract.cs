using Microsoft.Extensions.DependencyInjection;
using SliceAuth.Data.Postgres;
using SliceAuth.Tests.Infrastructure;

namespace SliceAuth.Tests.Storage.Contract;

/// <summary>The email store contract against the PostgreSQL provider, on a new database of the test run's cluster.</summary>
[Trait("Storage", "Postgres")]
public sealed class PostgresEmailStoreContract : EmailStoreContract
{
    protected override IDisposable? AddStorage(IServiceCollection services) => PostgresContractStorage.Add(services);

    [Fact]
    public async Task A_database_at_version_1_migrates_to_the_email_schema_and_its_accounts_read_unverified()
    {
        var connectionString = PostgresServer.CreateDatabase();
        var first = PostgresMigrations.All[0];
        Assert.Equal(1, first.Version);
        await PostgresServer.ExecuteAsync(connectionString, first.Sql);
        await PostgresServer.ExecuteAsync(connectionString, "CREATE TABLE schema_version (version int NOT NULL); INSERT INTO schema_version VALUES (1)");
        var id = Guid.NewGuid();
        await PostgresServer.ExecuteAsync(connectionString,
            "INSERT INTO users (id, username, username_key, email, email_key, password_hash, credential_stamp, created_at) " +
            $"VALUES ('{id}', 'old', 'old', 'old@example.com', 'old@example.com', 'h', '{Guid.Empty}', now())");

        await using var db = new PostgresDatabase(PostgresSetup.DataSource(connectionString));
        Assert.Equal(1, await PostgresMigrations.MigrateAsync(db.Source));

        Assert.Contains(PostgresMigrations.All, m => m is { Version: 2, Name: "0002_email" });
        await using (var connection = await db.Source.OpenConnectionAsync())
            Assert.Equal(PostgresMigrations.Latest, await PostgresMigrations.CurrentVersionAsync(connection));
        var stored = await new PostgresAccountStore(db).FindByIdAsync(id);
        Assert.Equal("old@example.com", stored!.Email);
        Assert.False(stored.EmailVerified);
    }
}
