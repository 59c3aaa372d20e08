using Microsoft.Extensions.Options;

namespace SliceAuth.Passkeys;

/// <summary>
/// Passkeys (WebAuthn): who the relying party is. A passkey is bound to its RP ID for life: choose the registrable
/// domain the users see (example.com), and list every origin the pages that call the API are served from.
/// </summary>
public sealed class PasskeyOptions
{
    public const string Section = "Passkeys";

    /// <summary>The relying party id: a host name, the origins' host or a parent domain of it ("localhost" for development).</summary>
    public string RelyingPartyId { get; set; } = "localhost";

    /// <summary>The name an authenticator shows when it creates a passkey.</summary>
    public string RelyingPartyName { get; set; } = "SliceAuth";

    /// <summary>
    /// The origins (scheme://host[:port], no path) of pages allowed to run a ceremony. No default in code: the
    /// binder appends to an array, so the development defaults live in appsettings.json.
    /// </summary>
    public string[] Origins { get; set; } = [];
}

internal sealed class PasskeyOptionsValidator : IValidateOptions<PasskeyOptions>
{
    public ValidateOptionsResult Validate(string? name, PasskeyOptions o)
    {
        var errors = new List<string>();
        var rpId = o.RelyingPartyId;
        // A registrable domain or localhost: no scheme, port, path or IP address (WebAuthn refuses IP RP IDs).
        if (Uri.CheckHostName(rpId) is not UriHostNameType.Dns || rpId.EndsWith('.'))
            errors.Add($"{Key(nameof(o.RelyingPartyId))} must be a host name without scheme, port or path, for example example.com (got '{rpId}').");
        if (string.IsNullOrWhiteSpace(o.RelyingPartyName) || o.RelyingPartyName.Any(char.IsControl))
            errors.Add($"{Key(nameof(o.RelyingPartyName))} must be a name to show, for example SliceAuth.");
        if (o.Origins.Length == 0)
            errors.Add($"{Key(nameof(o.Origins))} must list at least one origin, for example https://{(errors.Count == 0 ? rpId : "example.com")}.");
        for (var i = 0; i < o.Origins.Length; i++)
        {
            var origin = o.Origins[i];
            if (!IsOrigin(origin, out var host))
                errors.Add($"{Key($"Origins:{i}")} must be an origin: http or https, a host and maybe a port, no path, for example https://example.com (got '{origin}').");
            else if (!host.Equals(rpId, StringComparison.OrdinalIgnoreCase) && !host.EndsWith("." + rpId, StringComparison.OrdinalIgnoreCase))
                errors.Add($"{Key($"Origins:{i}")} must be on {Key(nameof(o.RelyingPartyId))} '{rpId}' or a subdomain of it, or browsers refuse the ceremony (got '{origin}').");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static bool IsOrigin(string value, out string host)
    {
        host = "";
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")) return false;
        host = uri.Host;
        // Exactly scheme://host[:port] as a browser writes it in clientDataJSON: no path, query, fragment or user.
        return value == uri.GetLeftPart(UriPartial.Authority) && uri.UserInfo.Length == 0;
    }

    private static string Key(string property) => $"{PasskeyOptions.Section}:{property}";
}
