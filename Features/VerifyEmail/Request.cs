namespace SliceAuth.Features.VerifyEmail;

public sealed class Request
{
    /// <summary>The token from the mailed link.</summary>
    public string Token { get; set; } = "";
}
