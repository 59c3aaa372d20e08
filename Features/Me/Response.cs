namespace SliceAuth.Features.Me;

public sealed class Response
{
    public Guid Id { get; init; }
    public string Username { get; init; } = "";
    public string Email { get; init; } = "";

    /// <summary>The owner of the address opened a link mailed to it.</summary>
    public bool EmailVerified { get; init; }
    public DateTime CreatedAt { get; init; }

    /// <summary>A login needs a TOTP code besides the password.</summary>
    public bool TwoFactorEnabled { get; init; }

    /// <summary>Unused recovery codes (0 while TOTP is off).</summary>
    public int RecoveryCodesLeft { get; init; }
}
