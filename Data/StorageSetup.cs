using Microsoft.Extensions.Options;
using SliceAuth.Auth;
using SliceAuth.Hosting;

namespace SliceAuth.Data;

public static class StorageSetup
{
    public static IServiceCollection AddStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StorageOptions>()
            .BindChecked(configuration, StorageOptions.Section)
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<StorageOptions>, StorageOptionsValidator>();

        services.AddSingleton(sp =>
        {
            var storage = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            var db = new AppDatabase(storage.FullDataDirectory, storage.VerifyOnStartMaxBytes);
            try
            {
                UsernameLookalikeKeys.Prepare(db, sp.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(UsernameLookalikeKeys)));
            }
            catch
            {
                db.Dispose();
                throw;
            }
            return db;
        });
        services.AddSingleton<IPepperFingerprintStore, PepperFingerprintStore>();
        services.AddHostedService<StorageRecovery>();
        // Opening the database at start-up, not on the first request, is what makes a second instance fail fast.
        services.AddStartupCheck<OpenDatabaseAtStartup>();
        return services;
    }

    /// <summary>Reopens the database a few times a second while it is faulted (a full disk), so it recovers by itself.</summary>
    private sealed class StorageRecovery(AppDatabase db, ILogger<StorageRecovery> log) : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
            var wasFaulted = false;
            try
            {
                while (await timer.WaitForNextTickAsync(stoppingToken))
                {
                    if (!db.IsFaulted) continue;
                    if (!wasFaulted) log.LogWarning("A storage write failed; reopening the database until it works again");
                    wasFaulted = true;
                    if (!db.TryRecover()) continue;
                    log.LogInformation("The database is writable again");
                    wasFaulted = false;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
            }
        }
    }

    private sealed class OpenDatabaseAtStartup(IServiceProvider services) : IStartupCheck
    {
        public void Run() => services.GetRequiredService<AppDatabase>();
    }
}
