namespace SliceAuth.Features.ForgotPassword;

public sealed class Request
{
    /// <summary>The address the account was registered with (or changed to).</summary>
    public string Email { get; set; } = "";
}
