namespace SliceAuth.Features.ConfirmTotp;

public sealed class Request
{
    /// <summary>The 6 digits the authenticator app shows for the new secret.</summary>
    public string Code { get; set; } = "";
}
