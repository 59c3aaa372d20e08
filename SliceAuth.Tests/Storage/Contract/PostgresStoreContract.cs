using Microsoft.Extensions.DependencyInjection;

namespace SliceAuth.Tests.Storage.Contract;

/// <summary>The store contract against the PostgreSQL provider, on a new database of the test run's cluster.</summary>
[Trait("Storage", "Postgres")]
public sealed class PostgresStoreContract : StoreContract
{
    protected override IDisposable? AddStorage(IServiceCollection services) => PostgresContractStorage.Add(services);
}

/// <summary>The throttle contract against the PostgreSQL throttle, on a new database of the test run's cluster.</summary>
[Trait("Storage", "Postgres")]
public sealed class PostgresThrottleContract : ThrottleContract
{
    protected override void AddThrottle(IServiceCollection services) => PostgresContractStorage.Add(services);
}
