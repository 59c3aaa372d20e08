namespace SliceAuth.Features.StartTotpEnrolment;

/// <summary>The secret three ways; shown this once, never again.</summary>
public sealed class Response
{
    /// <summary>Base32, for typing into an authenticator app.</summary>
    public string Secret { get; init; } = "";

    /// <summary>The otpauth://totp/ key URI the QR code holds.</summary>
    public string OtpauthUri { get; init; } = "";

    /// <summary>The URI as a QR code, an SVG document.</summary>
    public string QrCodeSvg { get; init; } = "";
}
