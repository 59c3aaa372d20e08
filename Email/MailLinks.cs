using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace SliceAuth.Email;

/// <summary>
/// The links in account mail. The base is Email:LinkBaseUrl, or else this server's own /account pages at an
/// address the server was configured to listen on. It is never derived from a request (Host or
/// X-Forwarded-Host): whoever sends a forged Host to /password/forgot would otherwise get the victim's reset
/// token mailed as a link to a site of their choosing.
/// </summary>
public sealed class MailLinks(IOptions<EmailOptions> options, IServer server, IConfiguration configuration)
{
    private string? _base;

    public string ResetPassword(string token) => $"{Base}/reset-password?token={Uri.EscapeDataString(token)}";

    public string VerifyEmail(string token) => $"{Base}/verify-email?token={Uri.EscapeDataString(token)}";

    // Resolved at the first mail, once the server listens and knows its addresses (a port 0 is bound by then).
    private string Base => _base ??= (options.Value.LinkBaseUrl.Length > 0 ? options.Value.LinkBaseUrl : OwnPages()).TrimEnd('/');

    private string OwnPages()
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses.ToList() ?? [];
        if (addresses.Count == 0)
            addresses = (configuration["urls"] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        var address = addresses.FirstOrDefault(a => a.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
            ?? addresses.FirstOrDefault()
            ?? "http://localhost";
        return $"{Reachable(address)}/account";
    }

    // A wildcard listen address (http://+:80, http://*:80, http://0.0.0.0:80, http://[::]:80) is no host a
    // mail client can open: on the server's own machine, localhost is.
    private static string Reachable(string address)
    {
        var uri = new Uri(address.Replace("://+", "://localhost").Replace("://*", "://localhost"));
        var host = uri.Host is "0.0.0.0" or "[::]" or "::" ? "localhost" : uri.Host;
        return new UriBuilder(uri) { Host = host, Path = "" }.Uri.GetLeftPart(UriPartial.Authority);
    }

    public static bool IsValidBase(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
        && uri.Query.Length == 0 && uri.Fragment.Length == 0 && uri.UserInfo.Length == 0;
}
