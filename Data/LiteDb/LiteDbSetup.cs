using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.Options;
using SliceAuth.Auth;
using SliceAuth.Hosting;

namespace SliceAuth.Data.LiteDb;

/// <summary>The LiteDB provider (<c>Storage:Provider=LiteDb</c>): one file in the data directory, one process.</summary>
public static class LiteDbSetup
{
    public const string KeyRingDirectory = "keys";

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
        services.AddSingleton<IEmailTokenStore, LiteDbEmailTokenStore>();
        services.AddSingleton<ISecondFactorStore, LiteDbSecondFactorStore>();
        services.AddSingleton<IMailQuota, LiteDbMailQuota>();
        services.AddSingleton<IPasskeyStore, LiteDbPasskeyStore>();
        services.AddSingleton<IStorageProbe, LiteDbStorageProbe>();
        services.AddSingleton<IPepperFingerprintStore, LiteDbPepperFingerprintStore>();
        services.AddSingleton<ISessionRemovalFeed, OnlyWriterRemovalFeed>();
        services.AddHostedService<LiteDbRecovery>();
        // The key ring that protects cookies lives with the data, so a restart keeps every session.
        services.AddOptions<KeyManagementOptions>()
            .Configure<IOptions<StorageOptions>, ILoggerFactory>((keys, storage, loggers) =>
                keys.XmlRepository = new FileSystemXmlRepository(
                    new DirectoryInfo(Path.Combine(storage.Value.FullDataDirectory, KeyRingDirectory)), loggers));
        // Opening the database at start-up, not on the first request, is what makes a second instance fail fast.
        services.AddStartupCheck<OpenDatabaseAtStartup>();
        return services;
    }

    private sealed class OpenDatabaseAtStartup(IServiceProvider services) : IStartupCheck
    {
        public void Run() => services.GetRequiredService<LiteDbDatabase>();
    }
}
