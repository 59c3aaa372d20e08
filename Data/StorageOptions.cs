using Microsoft.Extensions.Options;

namespace SliceAuth.Data;

public sealed class StorageOptions
{
    public const string Section = "Storage";
    public const string LiteDb = "LiteDb";
    public const string PostgresProvider = "Postgres";

    /// <summary>Which engine holds the accounts and sessions: <c>LiteDb</c> (one file, one process) or <c>Postgres</c> (any number of instances).</summary>
    public string Provider { get; set; } = LiteDb;

    /// <summary>LiteDB only: holds the database, the Data Protection key ring, the pepper and the instance lock.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>
    /// At start, every document and index is read when the database file is at most this big, so a damaged
    /// file is refused at once; bigger files start without it (reading them all would slow the start).
    /// </summary>
    public long VerifyOnStartMaxBytes { get; set; } = 64L * 1024 * 1024;

    public PostgresStorageOptions Postgres { get; set; } = new();

    public string FullDataDirectory => Path.GetFullPath(DataDirectory);

    public static bool IsLiteDb(string provider) => string.Equals(provider, LiteDb, StringComparison.OrdinalIgnoreCase);

    public static bool IsPostgres(string provider) => string.Equals(provider, PostgresProvider, StringComparison.OrdinalIgnoreCase);
}

public sealed class PostgresStorageOptions
{
    /// <summary>
    /// Applies the schema migrations at start (under an advisory lock, so N instances starting at once are safe).
    /// Off by default: migrate explicitly with <c>dotnet SliceAuth.dll migrate</c> as a deploy step.
    /// </summary>
    public bool MigrateOnStart { get; set; }
}

internal sealed class StorageOptionsValidator : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions o)
    {
        var errors = new List<string>();
        if (!StorageOptions.IsLiteDb(o.Provider) && !StorageOptions.IsPostgres(o.Provider))
            errors.Add($"{Key(nameof(o.Provider))} must be {StorageOptions.LiteDb} or {StorageOptions.PostgresProvider} (got '{o.Provider}').");
        if (string.IsNullOrWhiteSpace(o.DataDirectory))
            errors.Add($"{Key(nameof(o.DataDirectory))} must name a directory.");
        if (o.VerifyOnStartMaxBytes < 0)
            errors.Add($"{Key(nameof(o.VerifyOnStartMaxBytes))} must be 0 (never verify) or a size in bytes (got {o.VerifyOnStartMaxBytes}).");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static string Key(string property) => $"{StorageOptions.Section}:{property}";
}
