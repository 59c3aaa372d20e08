// The seed scenario through the Kiota-generated client: register, log in, the protected route, log out, and the
// protected route refused. Usage: KiotaSeed <base-url>. Prints "PASS: step" or "FAIL: step: why" per step;
// the exit code is the number of failed steps.
using System.Net;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Http.HttpClientLibrary;
using SliceAuth.KiotaSeed.Client;
using SliceAuth.KiotaSeed.Client.Models;

var baseUrl = args.Length == 1 ? args[0].TrimEnd('/') : throw new ArgumentException("usage: KiotaSeed <base-url>");

// The session is a cookie: the handler keeps what /login sets and sends it back, as a browser would.
var cookies = new CookieContainer();
using var http = KiotaClientFactory.Create(new HttpClientHandler { CookieContainer = cookies, UseCookies = true });
var client = new SliceAuthClient(new HttpClientRequestAdapter(new AnonymousAuthenticationProvider(), httpClient: http) { BaseUrl = baseUrl });

// A fresh account each run; the password passes the policy (12+ characters, no part of the name).
var username = $"kiota_{Guid.NewGuid():N}"[..24];
const string password = "correct horse battery";
var failures = 0;

await Step("register answers the new account", async () =>
{
    var created = await client.Register.PostAsync(new RegisterRequest { Username = username, Email = $"{username}@example.com", Password = password });
    Expect(created?.Username == username, $"username {created?.Username}");
    Expect(!string.IsNullOrEmpty(created?.Id), "no id");
});
await Step("login answers the username and sets the session cookie", async () =>
{
    var login = await client.Login.PostAsync(new LoginRequest { Username = username, Password = password });
    Expect(login?.Username == username, $"username {login?.Username}");
    Expect(cookies.GetCookies(new Uri(baseUrl)).Count > 0, "no cookie was set");
});
await Step("protected answers with the session's username", async () =>
{
    var answer = await client.Protected.GetAsync();
    Expect(answer?.Username == username, $"username {answer?.Username}");
});
await Step("logout succeeds", () => client.Logout.PostAsync());
await Step("protected after logout is refused with 401", async () =>
{
    try
    {
        await client.Protected.GetAsync();
        Expect(false, "answered 2xx");
    }
    catch (ProblemDetails problem)
    {
        // Typed from the document's 401 response: a problem+json body.
        Expect(problem.ResponseStatusCode == 401, $"status {problem.ResponseStatusCode}");
        Expect(problem.Status == 401, $"problem status {problem.Status}");
    }
});

return failures;

async Task Step(string name, Func<Task> run)
{
    try
    {
        await run();
        Console.WriteLine($"PASS: {name}");
    }
    catch (Exception e)
    {
        failures++;
        var status = e is ApiException api ? $" (HTTP {api.ResponseStatusCode})" : "";
        Console.WriteLine($"FAIL: {name}: {e.GetType().Name}{status}: {e.Message}");
    }
}

static void Expect(bool condition, string what)
{
    if (!condition) throw new InvalidOperationException(what);
}
