using System.Net;
using System.Text.RegularExpressions;
using SliceAuth.Tests.Infrastructure;

namespace SliceAuth.Tests.Features.AccountPages;

/// <summary>
/// The account page (/account) and the pages mails link to by default, as files: served without a session, under their
/// own CSP, with every script and stylesheet they load served too with its type. What the pages do in a browser is
/// tools/browser/account.test.mjs and tools/browser/account-pages.test.mjs.
/// </summary>
public sealed partial class AccountPagesTests : AppTest
{
    private const string PagesPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; " +
        "form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

    public static TheoryData<string> Pages => new() { "/account", "/account/reset-password", "/account/verify-email" };

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task A_page_answers_200_HTML_without_a_session_under_the_pages_CSP(string page)
    {
        var response = await Client.Get(page);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        Assert.Equal(PagesPolicy, Header(response, "Content-Security-Policy"));
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("no-referrer", Header(response, "Referrer-Policy")); // the token in the address goes nowhere
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task A_page_has_no_inline_script_or_style(string page)
    {
        var html = await (await Client.Get(page)).Content.ReadAsStringAsync();

        Assert.Contains("<script", html);
        Assert.Empty(InlineScripts().Matches(html));
        Assert.DoesNotContain("<style", html, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(InlineAttributes().Matches(html));
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task Every_script_and_stylesheet_a_page_loads_is_served_with_its_type(string page)
    {
        var files = await LoadedFiles(new Uri($"http://localhost{page}"));

        Assert.Contains(files, file => file.AbsolutePath.EndsWith(".css", StringComparison.Ordinal));
        Assert.Contains(files, file => file.AbsolutePath == "/account/pages.js"); // imported by the page's own script
        foreach (var file in files)
        {
            var response = await Client.Get(file.AbsolutePath);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var expected = file.AbsolutePath.EndsWith(".js", StringComparison.Ordinal) ? "text/javascript" : "text/css";
            Assert.Equal(expected, response.Content.Headers.ContentType?.MediaType);
            Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
            Assert.Equal(PagesPolicy, Header(response, "Content-Security-Policy"));
            Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        }
    }

    [Fact]
    public async Task The_account_page_loads_its_modules_from_under_account_and_every_one_is_served()
    {
        // The page is /account, without a trailing slash: its relative links must point into account/, not beside it.
        var files = await LoadedFiles(new Uri("http://localhost/account"));

        Assert.All(files, file => Assert.StartsWith("/account/", file.AbsolutePath, StringComparison.Ordinal));
        foreach (var module in new[] { "account.js", "api.js", "ui.js", "sessions.js", "passkeys.js", "webauthn.js", "totp.js", "qr.js", "pages.js" })
            Assert.Contains(files, file => file.AbsolutePath == "/account/" + module);
        Assert.Contains(files, file => file.AbsolutePath == "/account/account.css");
    }

    [Fact]
    public async Task The_account_page_labels_every_field()
    {
        var html = await (await Client.Get("/account")).Content.ReadAsStringAsync();

        var inputs = Inputs().Matches(html).Select(m => m.Value).ToList();
        Assert.True(inputs.Count >= 10, $"the page's forms have their inputs (found {inputs.Count})");
        foreach (var input in inputs)
        {
            var id = InputId().Match(input);
            Assert.True(id.Success, $"an input without an id cannot be labelled: {input}");
            var name = id.Groups["id"].Value;
            // <label for="id">, or the input inside its <label> (the checkbox).
            var labelled = html.Contains($"<label for=\"{name}\"", StringComparison.Ordinal)
                || Regex.IsMatch(html, $"<label[^>]*>\\s*<input id=\"{Regex.Escape(name)}\"");
            Assert.True(labelled, $"no label for #{name}");
        }
    }

    [Fact]
    public async Task The_account_page_at_a_trailing_slash_is_not_served()
    {
        // /account/ would resolve the page's relative links (account/account.js, me) one level too deep.
        var response = await Client.Get("/account/");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task No_other_file_is_served_under_account()
    {
        foreach (var path in new[] { "/account/nothing.js", "/account/pages", "/account/reset-password.html", "/account/account.html", "/account/index" })
            Assert.Equal(HttpStatusCode.NotFound, (await Client.Get(path)).StatusCode);
    }

    [Fact]
    public async Task The_scripts_never_write_HTML()
    {
        var files = (await LoadedFiles(new Uri("http://localhost/account")))
            .Concat(await LoadedFiles(new Uri("http://localhost/account/reset-password")))
            .Concat(await LoadedFiles(new Uri("http://localhost/account/verify-email")))
            .Where(file => file.AbsolutePath.EndsWith(".js", StringComparison.Ordinal))
            .Distinct();

        foreach (var file in files)
        {
            var script = await (await Client.Get(file.AbsolutePath)).Content.ReadAsStringAsync();
            Assert.Empty(HtmlSinks().Matches(script));
        }
    }

    [Fact]
    public async Task The_pages_stay_out_of_the_OpenAPI_document()
    {
        var document = await (await Client.Get("/openapi/v1.json")).Content.ReadAsStringAsync();

        Assert.Contains("\"/register\"", document);
        Assert.DoesNotContain("/account/", document);
        Assert.DoesNotContain("\"/account\"", document);
    }

    /// <summary>The stylesheets and scripts a page loads, and the modules those scripts import, resolved as a browser does.</summary>
    private async Task<HashSet<Uri>> LoadedFiles(Uri page)
    {
        var html = await (await Client.Get(page.AbsolutePath)).Content.ReadAsStringAsync();
        var found = new HashSet<Uri>();
        var pending = new Queue<Uri>(Sources().Matches(html).Select(m => new Uri(page, m.Groups["url"].Value)));
        while (pending.TryDequeue(out var file))
        {
            if (!found.Add(file) || !file.AbsolutePath.EndsWith(".js", StringComparison.Ordinal)) continue;
            var script = await (await Client.Get(file.AbsolutePath)).Content.ReadAsStringAsync();
            foreach (Match import in Imports().Matches(script)) pending.Enqueue(new Uri(file, import.Groups["url"].Value));
        }
        return found;
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(", ", values)
        : response.Content.Headers.TryGetValues(name, out var content) ? string.Join(", ", content) : null;

    [GeneratedRegex(@"<script(?![^>]*\bsrc\s*=)[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex InlineScripts();

    // style="..." and event handler attributes (onclick="...") are inline code too.
    [GeneratedRegex(@"<[^>]*\s(style|on[a-z]+)\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex InlineAttributes();

    [GeneratedRegex(@"<(script|link)\b[^>]*\b(src|href)=""(?<url>[^""]+)""", RegexOptions.IgnoreCase)]
    private static partial Regex Sources();

    [GeneratedRegex(@"\bimport\b[^'""]*from\s*['""](?<url>[^'""]+)['""]")]
    private static partial Regex Imports();

    [GeneratedRegex(@"<input\b[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex Inputs();

    [GeneratedRegex(@"\bid=""(?<id>[^""]+)""")]
    private static partial Regex InputId();

    [GeneratedRegex(@"innerHTML|outerHTML|insertAdjacentHTML|document\.write|createContextualFragment")]
    private static partial Regex HtmlSinks();
}
