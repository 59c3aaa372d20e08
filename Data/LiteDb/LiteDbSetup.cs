using Microsoft.Extensions.Options;
using SliceAuth.Auth;
using SliceAuth.Hosting;

namespace SliceAuth.Data.LiteDb;

/// <summary>The LiteDB provider (<c>Storage:Provider=LiteDb</c>): one file in the data directory, one process.</summary>
public static class LiteDbSetup
{
    public static IServiceCollection AddLiteDbStorage(this IServiceCollection services)
    {
        services.AddSingleton(sp =>
        {
            var storage = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            var db = new LiteDbDatabase(storage.FullDataDirectory, storage.VerifyOnStartMaxBytes);
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
        services.AddSingleton<IAccountStore, LiteDbAccountStore>();
        services.AddSingleton<ISessionRecords, LiteDbSessionRecords>();
        services.AddSingleton<IStorageProbe, LiteDbStorageProbe>();
        services.AddSingleton<IPepperFingerprintStore, LiteDbPepperFingerprintStore>();
        services.AddHostedService<LiteDbRecovery>();
        // Opening the database at start-up, not on the first request, is what makes a second instance fail fast.
        services.AddStartupCheck<OpenDatabaseAtStartup>();
        return services;
    }

    private sealed class OpenDatabaseAtStartup(IServiceProvider services) : IStartupCheck
    {
        public void Run() => services.GetRequiredService<LiteDbDatabase>();
    }
}
