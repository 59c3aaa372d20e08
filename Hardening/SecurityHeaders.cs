namespace SliceAuth.Hardening;

/// <summary>
/// Headers on every response, errors included (set when the response starts, after any handler cleared it).
/// The API answers JSON only, so its policy forbids everything; the Swagger page and the account pages get what they
/// need to run.
/// </summary>
public static class SecurityHeaders
{
    private const string ApiPolicy = "default-src 'none'; frame-ancestors 'none'";

    private const string InlineScriptsKey = "SliceAuth.SecurityHeaders.InlineScripts";

    // Swagger UI loads its own scripts and styles, sets inline styles, uses data: images, and calls the API. Its page
    // starts it with an inline script: allowed by hash (AllowInlineScripts), never as 'unsafe-inline'.
    private static string SwaggerPolicy(string inlineScripts) =>
        $"default-src 'none'; script-src 'self'{inlineScripts}; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
        "font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    // The account pages (Features/AccountPages) run their own script and style files and call the API, nothing else:
    // no inline code, and their forms are sent by the script, never natively (form-action 'none').
    private const string AccountPagesPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; form-action 'none'; " +
        "frame-ancestors 'none'; base-uri 'none'";

    /// <summary>Lets this response's page run exactly the inline scripts with these CSP hash sources ('sha256-...').</summary>
    public static void AllowInlineScripts(HttpContext http, IEnumerable<string> hashSources) =>
        http.Items[InlineScriptsKey] = string.Concat(hashSources.Select(source => " " + source));

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((http, next) =>
    {
        http.Response.OnStarting(() =>
        {
            var headers = http.Response.Headers;
            headers.CacheControl = "no-store";
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "no-referrer";
            headers.ContentSecurityPolicy = http.Request.Path.StartsWithSegments("/swagger")
                ? SwaggerPolicy(http.Items[InlineScriptsKey] as string ?? "")
                : http.Request.Path.StartsWithSegments("/account") ? AccountPagesPolicy
                : ApiPolicy;
            if (http.Request.IsHttps) headers.StrictTransportSecurity = "max-age=31536000; includeSubDomains";
            return Task.CompletedTask;
        });
        return next(http);
    });
}
