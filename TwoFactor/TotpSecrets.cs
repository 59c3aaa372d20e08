using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using OtpNet;
using QRCoder;
using SliceAuth.Auth;

namespace SliceAuth.TwoFactor;

/// <summary>
/// TOTP secrets: 20 random bytes (RFC 4226's recommended length for SHA-1), shown once as base32, stored only as
/// Data Protection ciphertext under the key ring every instance already shares.
/// </summary>
public sealed class TotpSecrets(IDataProtectionProvider protection, IOptions<AuthOptions> options)
{
    private readonly IDataProtector _protector = protection.CreateProtector("SliceAuth.Totp.v1");

    /// <summary>A new secret: base32 for the user, ciphertext for the store.</summary>
    public (string Base32, string Protected) Create()
    {
        var secret = RandomNumberGenerator.GetBytes(20);
        var base32 = Base32Encoding.ToString(secret);
        return (base32, _protector.Protect(base32));
    }

    /// <summary>The secret's bytes from its stored ciphertext.</summary>
    public byte[] Unprotect(string protectedSecret) => Base32Encoding.ToBytes(_protector.Unprotect(protectedSecret));

    /// <summary>The key-uri an authenticator app reads (Google's format, which every app follows).</summary>
    public string OtpAuthUri(string username, string base32)
    {
        var issuer = options.Value.TotpIssuer;
        var label = Uri.EscapeDataString(issuer) + ":" + Uri.EscapeDataString(username);
        return $"otpauth://totp/{label}?secret={base32}&issuer={Uri.EscapeDataString(issuer)}&algorithm=SHA1&digits=6&period=30";
    }

    /// <summary>The URI as a QR code, an SVG document a page can show as it is.</summary>
    public static string QrCodeSvg(string uri)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(uri, QRCodeGenerator.ECCLevel.M);
        return new SvgQRCode(data).GetGraphic(4);
    }
}
