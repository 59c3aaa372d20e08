using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using SliceAuth.Audit;
using SliceAuth.Data;

namespace SliceAuth.Auth;

/// <summary>
/// Token creation: 256 random bits for the cookie, a separate public handle, and only the token's SHA-256 in
/// the stored record, so a stolen database yields no usable cookie.
/// </summary>
internal static class SessionTokens
{
    /// <summary>A new session record and its token, not stored yet.</summary>
    public static (Session Session, SessionStore.NewSession Started) Create(
        Guid userId, string username, DateTime now, TimeSpan absoluteTimeout, HttpContext? http)
    {
        var token = WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        var handle = WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(16));
        var session = new Session
        {
            Id = IdOf(token),
            Handle = handle,
            UserId = userId,
            Username = username,
            CreatedAt = now,
            LastSeenAt = now,
            ExpiresAt = now + absoluteTimeout,
            UserAgent = Truncate(http?.Request.Headers.UserAgent.ToString(), 512),
            IpAddress = http?.ClientAddress(),
        };
        return (session, new SessionStore.NewSession(token, handle));
    }

    /// <summary>The stored record's id for a cookie's token.</summary>
    public static string IdOf(string token) =>
        WebEncoders.Base64UrlEncode(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static string? Truncate(string? value, int max) =>
        string.IsNullOrEmpty(value) ? null : value.Length <= max ? value : value[..max];
}
