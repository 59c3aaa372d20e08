namespace SliceAuth.Features.ReplaceRecoveryCodes;

public sealed class Response
{
    /// <summary>Ten new single-use codes; the old ones no longer work. Shown this once.</summary>
    public IReadOnlyList<string> RecoveryCodes { get; init; } = [];
}
