using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using SliceAuth.Hardening;

namespace SliceAuth.OpenApi;

/// <summary>
/// NSwag's Swagger page starts Swagger UI with inline scripts (its configuration, FastEndpoints' search box), which the
/// page's CSP would block. Rather than 'unsafe-inline', the page as served is read and exactly its own inline scripts
/// are allowed by SHA-256 hash: a script injected into the page by any other means still does not run.
/// </summary>
internal static partial class SwaggerPageScripts
{
    public static IApplicationBuilder UseSwaggerPageScriptHashes(this IApplicationBuilder app, string pagePath) => app.Use(async (http, next) =>
    {
        if (!http.Request.Path.Equals(pagePath, StringComparison.OrdinalIgnoreCase))
        {
            await next(http);
            return;
        }

        var body = http.Response.Body;
        using var page = new MemoryStream();
        http.Response.Body = page;
        try
        {
            await next(http);
        }
        finally
        {
            http.Response.Body = body;
        }

        SecurityHeaders.AllowInlineScripts(http, InlineScripts().Matches(Encoding.UTF8.GetString(page.ToArray()))
            .Select(script => HashSource(script.Groups["code"].Value))
            .Distinct());
        http.Response.ContentLength = page.Length;
        page.Position = 0;
        await page.CopyToAsync(body, http.RequestAborted);
    });

    /// <summary>
    /// The CSP source for one inline script. The browser hashes the text after its HTML parser has turned every CR LF
    /// and lone CR into LF (NSwag's page template has CR LF line ends), so the hash is taken of that text too.
    /// </summary>
    public static string HashSource(string script) =>
        $"'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(script.Replace("\r\n", "\n").Replace('\r', '\n'))))}'";

    // A <script> element without a src attribute; the hash covers exactly the text between the tags.
    [GeneratedRegex(@"<script(?![^>]*\bsrc\s*=)[^>]*>(?<code>.*?)</script>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex InlineScripts();
}
