using Microsoft.Extensions.DependencyInjection;

namespace SliceAuth.Tests.Storage.Contract;

/// <summary>The passkey store contract against the PostgreSQL provider, on a new database of the test run's cluster.</summary>
[Trait("Storage", "Postgres")]
public sealed class PostgresPasskeyStoreContract : PasskeyStoreContract
{
    protected override void AddStorage(IServiceCollection services) => PostgresStoreContract.AddMigratedDatabase(services);
}
