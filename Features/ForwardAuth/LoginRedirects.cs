using Microsoft.Extensions.Options;

namespace SliceAuth.Features.ForwardAuth;

/// <summary>
/// The login location a 401 from /auth/verify carries when ForwardAuth:LoginUrl is set: LoginUrl?rd=&lt;original URL&gt;.
/// The original URL comes from the proxy (X-Original-URL from nginx, X-Forwarded-Proto/-Host/-Uri from Traefik and
/// Caddy) and is passed on only when it is an http(s) URL on the login page's host or a configured return host: the
/// login page redirects to rd after a login, so anything else would make it an open redirect. A refused or missing
/// original URL still gets the plain LoginUrl.
/// </summary>
public sealed class LoginRedirects
{
    public const string OriginalUrlHeader = "X-Original-URL";
    public const string ForwardedUriHeader = "X-Forwarded-Uri";
    public const string ForwardedHostHeader = "X-Forwarded-Host";
    public const string ForwardedProtoHeader = "X-Forwarded-Proto";

    // Browsers and proxies cap URLs near 8 KiB; a return address longer than this is not worth carrying.
    private const int MaxOriginalLength = 4096;

    private readonly string? _login;
    private readonly string? _loginWithReturn; // _login and the start of its rd parameter
    private readonly HashSet<string> _returnHosts = new(StringComparer.OrdinalIgnoreCase);

    public LoginRedirects(IOptions<ForwardAuthOptions> options)
    {
        var o = options.Value;
        if (o.LoginUrl.Length == 0) return;
        var login = new Uri(o.LoginUrl, UriKind.Absolute);
        _login = login.AbsoluteUri;
        _loginWithReturn = _login + (login.Query.Length > 0 ? "&rd=" : "?rd=");
        _returnHosts.Add(login.IdnHost);
        foreach (var host in o.ReturnHosts) _returnHosts.Add(new Uri("http://" + host).IdnHost);
    }

    /// <summary>What an operator may set as ForwardAuth:LoginUrl (ASCII, so it can go into a header as it is).</summary>
    public static bool IsLoginUrl(string value) =>
        value.All(char.IsAscii)
        && Uri.TryCreate(value, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
        && uri.UserInfo.Length == 0 && uri.Fragment.Length == 0
        && uri.HostNameType is not UriHostNameType.Unknown;

    /// <summary>The Location for a 401, or null when no LoginUrl is configured.</summary>
    public string? For(HttpRequest request)
    {
        if (_login is null) return null;
        var original = OriginalUrl(request);
        return original is null ? _login : _loginWithReturn + Uri.EscapeDataString(original.AbsoluteUri);
    }

    private Uri? OriginalUrl(HttpRequest request)
    {
        var text = Single(request, OriginalUrlHeader) ?? Reassembled(request);
        if (text is null || text.Length > MaxOriginalLength) return null;
        return Uri.TryCreate(text, UriKind.Absolute, out var uri)
            && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            && uri.UserInfo.Length == 0
            && _returnHosts.Contains(uri.IdnHost)
            ? uri
            : null;
    }

    /// <summary>Traefik's and Caddy's way: scheme, host and path each in a header of its own.</summary>
    private static string? Reassembled(HttpRequest request)
    {
        var path = Single(request, ForwardedUriHeader);
        var host = Single(request, ForwardedHostHeader);
        // A path of "//evil.example" or "/\evil.example" would be read as another host.
        if (path is null || host is null || !path.StartsWith('/') || path.StartsWith("//") || path.StartsWith("/\\")) return null;
        var scheme = Single(request, ForwardedProtoHeader) ?? request.Scheme;
        return $"{scheme}://{host}{path}";
    }

    // Two values of one header are two claims about one request: neither is trusted.
    private static string? Single(HttpRequest request, string header) =>
        request.Headers[header] is { Count: 1 } values && values[0] is { Length: > 0 } value ? value : null;
}
