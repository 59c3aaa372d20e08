namespace SliceAuth.Features.DisableSecondFactor;

public sealed class Request
{
    public string Password { get; set; } = "";

    /// <summary>A code from the authenticator app, or one of the recovery codes (for someone who lost the phone).</summary>
    public string Code { get; set; } = "";
}
