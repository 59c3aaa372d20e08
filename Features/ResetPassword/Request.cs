namespace SliceAuth.Features.ResetPassword;

public sealed class Request
{
    /// <summary>The token from the mailed link.</summary>
    public string Token { get; set; } = "";

    public string NewPassword { get; set; } = "";
}
