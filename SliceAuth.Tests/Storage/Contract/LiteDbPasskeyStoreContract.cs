using Microsoft.Extensions.DependencyInjection;
using SliceAuth.Data;
using SliceAuth.Data.LiteDb;
using SliceAuth.Tests.Infrastructure;

namespace SliceAuth.Tests.Storage.Contract;

/// <summary>The passkey store contract against the LiteDB provider, on a file in a temporary data directory.</summary>
[Trait("Storage", "LiteDb")]
public sealed class LiteDbPasskeyStoreContract : PasskeyStoreContract
{
    private string? _dir;

    protected override void AddStorage(IServiceCollection services)
    {
        _dir = TempDirectory.Create();
        services.Configure<StorageOptions>(o => o.DataDirectory = _dir);
        services.AddLiteDbStorage();
    }

    public override void Dispose()
    {
        base.Dispose();
        TempDirectory.Delete(_dir!);
    }
}
