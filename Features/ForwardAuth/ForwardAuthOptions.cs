using Microsoft.Extensions.Options;

namespace SliceAuth.Features.ForwardAuth;

/// <summary>ForwardAuth: what GET /auth/verify tells a reverse proxy (nginx auth_request, Traefik, Caddy).</summary>
public sealed class ForwardAuthOptions
{
    public const string Section = "ForwardAuth";

    /// <summary>The response header that carries the user's id on a 200.</summary>
    public string UserIdHeader { get; set; } = "X-Auth-User-Id";

    /// <summary>The response header that carries the username (percent-encoded UTF-8) on a 200.</summary>
    public string UsernameHeader { get; set; } = "X-Auth-Username";

    /// <summary>
    /// The login page (absolute http or https URL) a proxy may send browsers to on a 401. Empty: no hint. The 401
    /// then carries Location: LoginUrl?rd=&lt;the original URL&gt;.
    /// </summary>
    public string LoginUrl { get; set; } = "";

    /// <summary>Hosts an original URL may be on to be passed as rd, besides the LoginUrl's own host.</summary>
    public string[] ReturnHosts { get; set; } = [];
}

internal sealed class ForwardAuthOptionsValidator : IValidateOptions<ForwardAuthOptions>
{
    public ValidateOptionsResult Validate(string? name, ForwardAuthOptions o)
    {
        var errors = new List<string>();
        HeaderName(errors, nameof(o.UserIdHeader), o.UserIdHeader);
        HeaderName(errors, nameof(o.UsernameHeader), o.UsernameHeader);
        if (string.Equals(o.UserIdHeader, o.UsernameHeader, StringComparison.OrdinalIgnoreCase))
            errors.Add($"{Key(nameof(o.UsernameHeader))} must differ from {Key(nameof(o.UserIdHeader))} (both are '{o.UserIdHeader}').");
        if (o.LoginUrl.Length > 0 && !LoginRedirects.IsLoginUrl(o.LoginUrl))
            errors.Add($"{Key(nameof(o.LoginUrl))} must be an absolute http or https URL without fragment, for example " +
                $"https://app.example.com/login, or empty (got '{o.LoginUrl}').");
        for (var i = 0; i < o.ReturnHosts.Length; i++)
            if (Uri.CheckHostName(o.ReturnHosts[i]) is UriHostNameType.Unknown)
                errors.Add($"{Key($"ReturnHosts:{i}")} must be a host name, without scheme, port or path (got '{o.ReturnHosts[i]}').");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    // A header name is an RFC 9110 token; anything else would be refused by Kestrel on the first request, or by the proxy.
    private static void HeaderName(List<string> errors, string property, string value)
    {
        if (value.Length == 0 || value.Any(c => !char.IsAsciiLetterOrDigit(c) && !"!#$%&'*+-.^_`|~".Contains(c)))
            errors.Add($"{Key(property)} must be a header name: ASCII letters, digits and !#$%&'*+-.^_`|~, for example X-Auth-User (got '{value}').");
    }

    private static string Key(string property) => $"{ForwardAuthOptions.Section}:{property}";
}
