using Microsoft.Extensions.Options;

namespace SliceAuth.Data;

public static class StorageSetup
{
    public static IServiceCollection AddStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StorageOptions>()
            .Bind(configuration.GetSection(StorageOptions.Section))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<StorageOptions>, StorageOptionsValidator>();

        services.AddSingleton(sp => new AppDatabase(sp.GetRequiredService<IOptions<StorageOptions>>().Value.FullDataDirectory));
        // Opening the database at start-up, not on the first request, is what makes a second instance fail fast.
        services.AddHostedService<OpenDatabaseAtStartup>();
        return services;
    }

    private sealed class OpenDatabaseAtStartup(IServiceProvider services) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            services.GetRequiredService<AppDatabase>();
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
