using Microsoft.Extensions.Options;

namespace SliceAuth.Data;

public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>Holds the database, the Data Protection key ring, the pepper and the instance lock.</summary>
    public string DataDirectory { get; set; } = "data";

    public string FullDataDirectory => Path.GetFullPath(DataDirectory);
}

internal sealed class StorageOptionsValidator : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions options) =>
        string.IsNullOrWhiteSpace(options.DataDirectory)
            ? ValidateOptionsResult.Fail($"{StorageOptions.Section}:{nameof(StorageOptions.DataDirectory)} must name a directory.")
            : ValidateOptionsResult.Success;
}
