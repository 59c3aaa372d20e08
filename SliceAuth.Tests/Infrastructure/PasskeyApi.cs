using System.Net;
using System.Text.Json;

namespace SliceAuth.Tests.Infrastructure;

/// <summary>The passkey routes, spoken over HTTP as a page would, with a <see cref="SoftwareAuthenticator"/> in the browser's place.</summary>
public static class PasskeyApi
{
    /// <summary>POST /me/passkeys/options: the `publicKey` creation options.</summary>
    public static async Task<JsonElement> RegistrationOptions(this HttpClient client, string cookie)
    {
        var response = await client.Send(HttpMethod.Post, "/me/passkeys/options", cookie);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Json()).GetProperty("publicKey");
    }

    /// <summary>POST /login/passkey/options: the `publicKey` request options.</summary>
    public static async Task<JsonElement> LoginOptions(this HttpClient client)
    {
        var response = await client.Send(HttpMethod.Post, "/login/passkey/options");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Json()).GetProperty("publicKey");
    }

    public static Task<HttpResponseMessage> AddPasskey(this HttpClient client, string cookie, object credential, string name = "laptop") =>
        client.Send(HttpMethod.Post, "/me/passkeys", cookie, new { name, credential });

    /// <summary>Options, create, POST: the passkey is on the account (201 asserted).</summary>
    public static async Task RegisterPasskey(this HttpClient client, string cookie, SoftwareAuthenticator authenticator, string name = "laptop")
    {
        var response = await client.AddPasskey(cookie, authenticator.Create(await client.RegistrationOptions(cookie)), name);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    public static Task<HttpResponseMessage> PasskeyLogin(this HttpClient client, object credential, string? cookie = null) =>
        client.Send(HttpMethod.Post, "/login/passkey", cookie, new { credential });

    /// <summary>GET /me/passkeys.</summary>
    public static async Task<JsonElement[]> Passkeys(this HttpClient client, string cookie)
    {
        var response = await client.Get("/me/passkeys", cookie);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Json()).EnumerateArray().ToArray();
    }
}
