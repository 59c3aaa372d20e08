using Microsoft.Extensions.DependencyInjection;
using SliceAuth.Data;
using SliceAuth.Data.LiteDb;
using SliceAuth.Tests.Infrastructure;

namespace SliceAuth.Tests.Storage.Contract;

/// <summary>The LiteDB provider for a contract, on a file in a temporary data directory that goes when this is disposed.</summary>
internal sealed class LiteDbContractStorage : IDisposable
{
    private readonly string _dir = TempDirectory.Create();

    private LiteDbContractStorage()
    {
    }

    /// <summary>Registers the provider on a new, empty data directory; dispose the result after the stores.</summary>
    public static IDisposable Add(IServiceCollection services)
    {
        var storage = new LiteDbContractStorage();
        services.Configure<StorageOptions>(o => o.DataDirectory = storage._dir);
        services.AddLiteDbStorage();
        return storage;
    }

    public void Dispose() => TempDirectory.Delete(_dir);
}
