using Microsoft.Extensions.Options;

namespace SliceAuth.Data;

public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>Holds the database, the Data Protection key ring, the pepper and the instance lock.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>
    /// At start, every document and index is read when the database file is at most this big, so a damaged
    /// file is refused at once; bigger files start without it (reading them all would slow the start).
    /// </summary>
    public long VerifyOnStartMaxBytes { get; set; } = 64L * 1024 * 1024;

    public string FullDataDirectory => Path.GetFullPath(DataDirectory);
}

internal sealed class StorageOptionsValidator : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions options) =>
        string.IsNullOrWhiteSpace(options.DataDirectory)
            ? ValidateOptionsResult.Fail($"{StorageOptions.Section}:{nameof(StorageOptions.DataDirectory)} must name a directory.")
            : ValidateOptionsResult.Success;
}
