using Microsoft.AspNetCore.Authentication.Cookies;

namespace SliceAuth.Auth;

/// <summary>
/// Over HTTPS the cookie is named "__Host-…": browsers then insist on Secure, Path=/ and no Domain, so a
/// sibling subdomain cannot plant or overwrite it.
/// </summary>
internal sealed class SessionCookieManager : ICookieManager
{
    private const string HostPrefix = "__Host-";
    private readonly ChunkingCookieManager _inner = new();

    public string? GetRequestCookie(HttpContext context, string key) =>
        _inner.GetRequestCookie(context, NameFor(context, key));

    public void AppendResponseCookie(HttpContext context, string key, string? value, CookieOptions options) =>
        _inner.AppendResponseCookie(context, NameFor(context, key), value, options);

    public void DeleteCookie(HttpContext context, string key, CookieOptions options) =>
        _inner.DeleteCookie(context, NameFor(context, key), options);

    private static string NameFor(HttpContext context, string key) => context.Request.IsHttps ? HostPrefix + key : key;
}
