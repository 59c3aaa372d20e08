namespace SliceAuth.Features.Login;

/// <summary>Either a finished login ({username}) or its first step for an account with TOTP on ({twoFactorRequired: true}).</summary>
public sealed class Response
{
    /// <summary>The account's name as registered; null while the second factor is still required.</summary>
    public string? Username { get; init; }

    /// <summary>True: the password was right but no session was started; send the code to POST /login/2fa.</summary>
    public bool TwoFactorRequired { get; init; }
}
