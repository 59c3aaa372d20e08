using Microsoft.Extensions.DependencyInjection;

namespace SliceAuth.Tests.Storage.Contract;

/// <summary>The passkey store contract against the LiteDB provider, on a file in a temporary data directory.</summary>
[Trait("Storage", "LiteDb")]
public sealed class LiteDbPasskeyStoreContract : PasskeyStoreContract
{
    protected override IDisposable AddStorage(IServiceCollection services) => LiteDbContractStorage.Add(services);
}
