using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using SliceAuth.Auth;

namespace SliceAuth.TwoFactor;

/// <summary>
/// The cookie of a login waiting for its second factor: 256 random bits, only their SHA-256 stored
/// (<see cref="Data.PendingLogin.Id"/>). It is no session: its own name, Path=/login (the browser sends it to
/// /login/2fa only), SameSite=Strict, HttpOnly, Secure over HTTPS like the session cookie, 5 minutes.
/// </summary>
public sealed class PendingLoginCookie(IOptions<AuthOptions> options)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    /// <summary>"sliceauth.2fa" with the default Auth:CookieName.</summary>
    public string Name => options.Value.CookieName + ".2fa";

    /// <summary>A new token for the cookie and the id to store for it.</summary>
    public static (string Token, string Id) Create()
    {
        var token = WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        return (token, IdOf(token));
    }

    public static string IdOf(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    public void Set(HttpContext http, string token) =>
        http.Response.Cookies.Append(Name, token, Options(http, Lifetime));

    /// <summary>The stored id of the pending login the request's cookie names; null without one.</summary>
    public string? ReadId(HttpContext http) =>
        http.Request.Cookies.TryGetValue(Name, out var token) && !string.IsNullOrEmpty(token) && token.Length <= 128 ? IdOf(token) : null;

    public void Clear(HttpContext http) => http.Response.Cookies.Delete(Name, Options(http, null));

    // Max-Age only: the server's own clock decides expiry in the store; the browser just drops the cookie in time.
    private static CookieOptions Options(HttpContext http, TimeSpan? maxAge) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = http.Request.IsHttps,
        Path = "/login",
        MaxAge = maxAge,
    };
}
