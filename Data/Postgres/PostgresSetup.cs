using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Npgsql;
using SliceAuth.Auth;
using SliceAuth.Hosting;

namespace SliceAuth.Data.Postgres;

/// <summary>
/// The PostgreSQL provider (<c>Storage:Provider=Postgres</c>, <c>ConnectionStrings:Postgres</c>): accounts,
/// sessions, mailed tokens and mail quotas, passkeys and their challenges, the login throttle, the pepper's fingerprint and the Data Protection key ring in one database
/// that any number of instances share.
/// </summary>
public static class PostgresSetup
{
    public const string ConnectionStringName = "Postgres";
    public const string ConnectionStringKey = "ConnectionStrings:" + ConnectionStringName;

    public static IServiceCollection AddPostgresStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<IValidateOptions<StorageOptions>>(new ConnectionStringValidator(configuration.GetConnectionString(ConnectionStringName)));
        services.AddSingleton<IValidateOptions<AuthOptions>, PepperRequired>();
        services.AddSingleton(_ => new PostgresDatabase(DataSource(configuration.GetConnectionString(ConnectionStringName)!)));
        services.AddSingleton<IAccountStore, PostgresAccountStore>();
        services.AddSingleton<ISessionRecords, PostgresSessionRecords>();
        services.AddSingleton<IEmailTokenStore, PostgresEmailTokenStore>();
        services.AddSingleton<ISecondFactorStore, PostgresSecondFactorStore>();
        services.AddSingleton<IMailQuota, PostgresMailQuota>();
        services.AddSingleton<IPasskeyStore, PostgresPasskeyStore>();
        services.AddSingleton<IStorageProbe, PostgresStorageProbe>();
        services.AddSingleton<IPepperFingerprintStore, PostgresPepperFingerprintStore>();
        services.AddSingleton<ILoginThrottle, PostgresLoginThrottle>();
        services.AddSingleton<PostgresSessionRemovalFeed>();
        services.AddSingleton<ISessionRemovalFeed>(sp => sp.GetRequiredService<PostgresSessionRemovalFeed>());
        services.AddHostedService(sp => sp.GetRequiredService<PostgresSessionRemovalFeed>());
        services.AddOptions<KeyManagementOptions>()
            .Configure<PostgresDatabase>((keys, db) => keys.XmlRepository = new PostgresKeyRing(db));
        // Before the pepper check (which reads the fingerprint table): the schema must be there and current.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IStartupCheck, SchemaIsCurrent>());
        return services;
    }

    internal static NpgsqlDataSource DataSource(string connectionString) => new NpgsqlDataSourceBuilder(connectionString).Build();

    private sealed class ConnectionStringValidator(string? connectionString) : IValidateOptions<StorageOptions>
    {
        public ValidateOptionsResult Validate(string? name, StorageOptions options)
        {
            if (string.IsNullOrWhiteSpace(connectionString))
                return ValidateOptionsResult.Fail($"{ConnectionStringKey} must be set when Storage:Provider is Postgres (e.g. Host=db;Username=sliceauth;Password=...;Database=sliceauth).");
            try
            {
                _ = new NpgsqlConnectionStringBuilder(connectionString);
                return ValidateOptionsResult.Success;
            }
            catch (Exception e) when (e is ArgumentException or FormatException or InvalidCastException)
            {
                // The parser's message names the keyword, never the value (which may be the password).
                return ValidateOptionsResult.Fail($"{ConnectionStringKey} is not a valid PostgreSQL connection string ({e.Message}).");
            }
        }
    }

    /// <summary>Every instance must hash with the same pepper, so none may generate its own.</summary>
    private sealed class PepperRequired : IValidateOptions<AuthOptions>
    {
        public ValidateOptionsResult Validate(string? name, AuthOptions options) => string.IsNullOrEmpty(options.Pepper)
            ? ValidateOptionsResult.Fail($"{AuthOptions.Section}:{nameof(AuthOptions.Pepper)} must be set when Storage:Provider is Postgres: " +
                                         "every instance needs the same pepper (a long random string from your secret store).")
            : ValidateOptionsResult.Success;
    }

    /// <summary>Migrates first when Storage:Postgres:MigrateOnStart is set; then refuses a schema older or newer than this build.</summary>
    private sealed class SchemaIsCurrent(PostgresDatabase db, IOptions<StorageOptions> storage) : IStartupCheck
    {
        public void Run()
        {
            try
            {
                if (storage.Value.Postgres.MigrateOnStart) PostgresMigrations.MigrateAsync(db.Source).GetAwaiter().GetResult();
                using var connection = db.Source.OpenConnection();
                var version = PostgresMigrations.CurrentVersionAsync(connection).GetAwaiter().GetResult();
                if (PostgresMigrations.Mismatch(version) is { } mismatch) throw new StorageUnavailableException(mismatch);
            }
            catch (Exception e) when (PostgresFaults.IsUnavailable(e))
            {
                throw new StorageUnavailableException($"Cannot reach PostgreSQL ({ConnectionStringKey}): {PostgresFaults.Unavailable(e).Message}", e);
            }
        }
    }
}
