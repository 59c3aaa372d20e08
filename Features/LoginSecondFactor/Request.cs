namespace SliceAuth.Features.LoginSecondFactor;

/// <summary>One of the two: a code from the authenticator app, or one of the recovery codes.</summary>
public sealed class Request
{
    public string? Code { get; set; }
    public string? RecoveryCode { get; set; }
}
