using Microsoft.Extensions.Options;
using SliceAuth.Data.LiteDb;
using SliceAuth.Data.Postgres;
using SliceAuth.Hosting;

namespace SliceAuth.Data;

public static class StorageSetup
{
    /// <summary>The storage provider named by <c>Storage:Provider</c>; the rest of the product sees only the interfaces in <c>Data/</c>.</summary>
    public static IServiceCollection AddStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StorageOptions>()
            .BindChecked(configuration, StorageOptions.Section)
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<StorageOptions>, StorageOptionsValidator>();

        // An unknown provider registers nothing: StorageOptionsValidator refuses the start, naming the key.
        var provider = configuration[$"{StorageOptions.Section}:{nameof(StorageOptions.Provider)}"] ?? StorageOptions.LiteDb;
        if (StorageOptions.IsLiteDb(provider)) services.AddLiteDbStorage();
        else if (StorageOptions.IsPostgres(provider)) services.AddPostgresStorage(configuration);
        return services;
    }
}
