using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SliceAuth.Data.Postgres;
using SliceAuth.Tests.Infrastructure;

namespace SliceAuth.Tests.Storage.Contract;

/// <summary>The PostgreSQL provider for a contract, on a new, migrated database of the test run's cluster.</summary>
internal static class PostgresContractStorage
{
    /// <summary>
    /// Registers the provider on a new database; returns null, as there is nothing to clean up: the database
    /// belongs to the throwaway cluster of the test run and goes with it.
    /// </summary>
    public static IDisposable? Add(IServiceCollection services)
    {
        var connectionString = PostgresServer.CreateDatabase();
        using (var source = PostgresSetup.DataSource(connectionString)) PostgresMigrations.MigrateAsync(source).GetAwaiter().GetResult();
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [PostgresSetup.ConnectionStringKey] = connectionString })
            .Build();
        services.AddPostgresStorage(configuration);
        return null;
    }
}
