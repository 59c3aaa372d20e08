using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SliceAuth.Auth;
using SliceAuth.Data.Postgres;
using SliceAuth.Tests.Infrastructure;

namespace SliceAuth.Tests.Storage.Contract;

/// <summary>The store contract against the PostgreSQL provider, on a new database of the test run's cluster.</summary>
[Trait("Storage", "Postgres")]
public sealed class PostgresStoreContract : StoreContract
{
    protected override void AddStorage(IServiceCollection services) => AddMigratedDatabase(services);

    /// <summary>The PostgreSQL provider on a new, migrated database of the test run's cluster.</summary>
    internal static void AddMigratedDatabase(IServiceCollection services)
    {
        var connectionString = PostgresServer.CreateDatabase();
        using (var source = PostgresSetup.DataSource(connectionString)) PostgresMigrations.MigrateAsync(source).GetAwaiter().GetResult();
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [PostgresSetup.ConnectionStringKey] = connectionString })
            .Build();
        services.AddPostgresStorage(configuration);
    }
}

/// <summary>The throttle contract against the PostgreSQL throttle, on a new database of the test run's cluster.</summary>
[Trait("Storage", "Postgres")]
public sealed class PostgresThrottleContract : ThrottleContract
{
    protected override void AddThrottle(IServiceCollection services) => PostgresStoreContract.AddMigratedDatabase(services);
}
