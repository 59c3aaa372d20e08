using Microsoft.Extensions.Options;
using SliceAuth.Problems;

namespace SliceAuth.Hardening;

/// <summary>Cors:AllowedOrigins: the browser origins (scheme://host[:port]) that may call the API with its cookie.</summary>
public sealed class CrossOriginOptions
{
    public const string Section = "Cors";

    public string[] AllowedOrigins { get; set; } = [];
}

/// <summary>
/// Each entry must be written as a browser writes its Origin header, or it never matches one: http or https,
/// a host, a port only when not the scheme's default, nothing after it (no path, no trailing slash).
/// </summary>
internal sealed class CrossOriginOptionsValidator : IValidateOptions<CrossOriginOptions>
{
    public ValidateOptionsResult Validate(string? name, CrossOriginOptions o)
    {
        var errors = o.AllowedOrigins
            .Select((origin, i) => IsOrigin(origin) ? null
                : $"{CrossOriginOptions.Section}:AllowedOrigins:{i} must be an origin written scheme://host[:port], http or https, " +
                  $"with no path or trailing slash, for example https://app.example.com (got '{origin}').")
            .OfType<string>()
            .ToList();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static bool IsOrigin(string? origin) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
        && uri.UserInfo.Length == 0
        && uri.HostNameType is not UriHostNameType.Unknown
        // What is left once path, query and fragment are cut off is the whole entry: nothing else was written.
        && string.Equals(uri.GetLeftPart(UriPartial.Authority), origin, StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// Refuses state-changing requests a browser sends on another site's behalf (CSRF, login CSRF included):
/// an unsafe method with Sec-Fetch-Site: cross-site, or with an Origin that is neither this server's own
/// nor allowed. SameSite=Lax already keeps the cookie off most of them; this also covers same-site
/// siblings and browsers without SameSite. Clients that send neither header (curl, Postman, servers) pass.
/// </summary>
public static class CrossSiteRequests
{
    public static IApplicationBuilder UseCrossSiteRefusal(this IApplicationBuilder app) => app.Use((http, next) =>
    {
        if (HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method)
            || HttpMethods.IsOptions(http.Request.Method) || HttpMethods.IsTrace(http.Request.Method))
            return next(http);

        var allowed = http.RequestServices.GetRequiredService<IOptions<CrossOriginOptions>>().Value.AllowedOrigins;
        if (IsCrossSite(http.Request, allowed))
            return ApiProblems.WriteAsync(http, StatusCodes.Status403Forbidden, "Cross-site request refused.",
                "State-changing requests are accepted only from this service's own origin or an allowed one.");
        return next(http);
    });

    private static bool IsCrossSite(HttpRequest request, string[] allowedOrigins)
    {
        if (string.Equals(request.Headers["Sec-Fetch-Site"], "cross-site", StringComparison.OrdinalIgnoreCase)) return true;

        var origin = request.Headers.Origin.ToString();
        if (origin.Length == 0) return false;
        // "null" (sandboxed frames, file: pages) and anything unparsable are foreign.
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var originUri)) return true;
        if (SameOrigin(originUri, request.Scheme, request.Host)) return false;
        return !allowedOrigins.Any(a => Uri.TryCreate(a, UriKind.Absolute, out var allowed) && SameOrigin(originUri, allowed));
    }

    private static bool SameOrigin(Uri origin, string scheme, HostString host) =>
        string.Equals(origin.Scheme, scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(origin.Host, host.Host, StringComparison.OrdinalIgnoreCase)
        && origin.Port == (host.Port ?? (string.Equals(scheme, "https", StringComparison.OrdinalIgnoreCase) ? 443 : 80));

    private static bool SameOrigin(Uri a, Uri b) =>
        string.Equals(a.Scheme, b.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(a.Host, b.Host, StringComparison.OrdinalIgnoreCase)
        && a.Port == b.Port;
}
