using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;

namespace SliceAuth.Auth;

/// <summary>
/// The cookie is the session token itself: 256 random bits that mean nothing without the server-side session.
/// Sealing it with Data Protection as well would add no secrecy (the database keeps only its SHA-256) and
/// cost an AES and HMAC pass on every authenticated request.
/// </summary>
internal sealed class SessionTokenFormat : ISecureDataFormat<AuthenticationTicket>
{
    // The claim the cookie handler reads the session key from when a SessionStore is set
    // (CookieAuthenticationHandler.SessionIdClaim, private in ASP.NET Core).
    internal const string SessionIdClaim = "Microsoft.AspNetCore.Authentication.Cookies-SessionId";

    private const int TokenLength = 43; // 32 bytes, base64url without padding

    public string Protect(AuthenticationTicket data) => Protect(data, null);

    public string Protect(AuthenticationTicket data, string? purpose) =>
        data.Principal.FindFirstValue(SessionIdClaim)
        ?? throw new InvalidOperationException("Only session references are written to the cookie.");

    public AuthenticationTicket? Unprotect(string? protectedText) => Unprotect(protectedText, null);

    public AuthenticationTicket? Unprotect(string? protectedText, string? purpose)
    {
        if (protectedText is not { Length: TokenLength } || !protectedText.All(IsBase64Url)) return null;
        var identity = new ClaimsIdentity([new Claim(SessionIdClaim, protectedText)], AuthSetup.Scheme);
        return new AuthenticationTicket(new ClaimsPrincipal(identity), AuthSetup.Scheme);
    }

    private static bool IsBase64Url(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_';
}
