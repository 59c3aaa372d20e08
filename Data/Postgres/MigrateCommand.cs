namespace SliceAuth.Data.Postgres;

/// <summary>
/// <c>dotnet SliceAuth.dll migrate</c>: brings the PostgreSQL schema to this build's version with the same
/// settings the service reads (appsettings.json, environment, command line), then exits. The deploy step
/// for operators who keep Storage:Postgres:MigrateOnStart off.
/// </summary>
public static class MigrateCommand
{
    public static bool IsRequested(string[] args) => args is ["migrate", ..];

    public static int Run(string[] args)
    {
        var configuration = WebApplication.CreateBuilder(args[1..]).Configuration;
        var provider = configuration[$"{StorageOptions.Section}:{nameof(StorageOptions.Provider)}"] ?? StorageOptions.LiteDb;
        if (!StorageOptions.IsPostgres(provider))
            return Refuse($"migrate applies to Storage:Provider={StorageOptions.PostgresProvider} (got '{provider}'); LiteDB needs no migration.");
        if (configuration.GetConnectionString(PostgresSetup.ConnectionStringName) is not { Length: > 0 } connectionString)
            return Refuse($"{PostgresSetup.ConnectionStringKey} must be set.");
        try
        {
            using var source = PostgresSetup.DataSource(connectionString);
            var from = PostgresMigrations.MigrateAsync(source).GetAwaiter().GetResult();
            Console.WriteLine(from == PostgresMigrations.Latest
                ? $"SliceAuth migrate: the schema is already at version {from}."
                : $"SliceAuth migrate: schema version {from} -> {PostgresMigrations.Latest}.");
            return 0;
        }
        catch (Exception e) when (e is StorageUnavailableException or ArgumentException || PostgresFaults.IsUnavailable(e))
        {
            return Refuse(e is StorageUnavailableException ? e.Message : PostgresFaults.Unavailable(e).Message);
        }
    }

    private static int Refuse(string reason)
    {
        Console.Error.WriteLine($"SliceAuth cannot migrate: {reason}");
        return 1;
    }
}
