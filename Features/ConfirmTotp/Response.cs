namespace SliceAuth.Features.ConfirmTotp;

public sealed class Response
{
    /// <summary>Ten single-use codes for when the authenticator is lost; shown this once.</summary>
    public IReadOnlyList<string> RecoveryCodes { get; init; } = [];
}
