using System.Collections.Frozen;

namespace SliceAuth.Features.AccountPages;

/// <summary>One file of the account pages, as sent.</summary>
internal sealed record PageFile(byte[] Content, string ContentType);

/// <summary>
/// The account pages' files (Files/ beside this class), embedded in the assembly by SliceAuth.csproj so the app needs no
/// files beside it, and read once. Each is served at /account/{name}; the pages drop the .html from their address
/// because it is the one mails link to, and the account page itself is /account.
/// </summary>
internal static class PageFiles
{
    public const string ResourcePrefix = "SliceAuth.AccountPages.";

    private const string Html = "text/html; charset=utf-8";
    private const string JavaScript = "text/javascript; charset=utf-8";
    private const string Css = "text/css; charset=utf-8";

    private static readonly (string Route, string Resource, string ContentType)[] Table =
    [
        ("/account", "account.html", Html),
        ("/account/reset-password", "reset-password.html", Html),
        ("/account/verify-email", "verify-email.html", Html),
        ("/account/pages.css", "pages.css", Css),
        ("/account/pages.js", "pages.js", JavaScript),
        ("/account/reset-password.js", "reset-password.js", JavaScript),
        ("/account/verify-email.js", "verify-email.js", JavaScript),
        ("/account/account.css", "account.css", Css),
        ("/account/account.js", "account.js", JavaScript),
        ("/account/api.js", "api.js", JavaScript),
        ("/account/ui.js", "ui.js", JavaScript),
        ("/account/sessions.js", "sessions.js", JavaScript),
        ("/account/passkeys.js", "passkeys.js", JavaScript),
        ("/account/webauthn.js", "webauthn.js", JavaScript),
        ("/account/totp.js", "totp.js", JavaScript),
        ("/account/qr.js", "qr.js", JavaScript),
    ];

    public static string[] Routes { get; } = Table.Select(file => file.Route).ToArray();

    private static readonly Lazy<FrozenDictionary<string, PageFile>> Files = new(() => Table.ToFrozenDictionary(
        file => file.Route,
        file => new PageFile(Read(file.Resource), file.ContentType),
        StringComparer.OrdinalIgnoreCase)); // routing matches paths ignoring case

    public static PageFile? For(PathString path) => Files.Value.GetValueOrDefault(path.Value ?? "");

    private static byte[] Read(string resource)
    {
        using var stream = typeof(PageFiles).Assembly.GetManifestResourceStream(ResourcePrefix + resource)
            ?? throw new InvalidOperationException($"The account page file {resource} is not embedded (see SliceAuth.csproj).");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
