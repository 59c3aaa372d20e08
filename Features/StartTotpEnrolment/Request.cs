namespace SliceAuth.Features.StartTotpEnrolment;

public sealed class Request
{
    /// <summary>The current password: a stolen session alone cannot bind someone else's authenticator.</summary>
    public string Password { get; set; } = "";
}
