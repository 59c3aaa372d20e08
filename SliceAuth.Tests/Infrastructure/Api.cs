using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace SliceAuth.Tests.Infrastructure;

/// <summary>The seed scenario's calls, spoken over HTTP exactly as an outside client would.</summary>
public static class Api
{
    public const string Password = "correct horse battery staple";

    public static Task<HttpResponseMessage> Register(this HttpClient client, string username, string? email = null, string password = Password) =>
        client.PostAsJsonAsync("/register", new { username, email = email ?? $"{Guid.NewGuid():N}@example.com", password });

    public static Task<HttpResponseMessage> Login(this HttpClient client, string username, string password = Password, string? cookie = null) =>
        client.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/login")
        {
            Content = JsonContent.Create(new { username, password }),
        }.WithCookie(cookie));

    /// <summary>Registers and logs in; returns the "name=value" session cookie.</summary>
    public static async Task<string> RegisterAndLogin(this HttpClient client, string username, string password = Password)
    {
        (await client.Register(username, password: password)).EnsureSuccessStatusCode();
        var login = await client.Login(username, password);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        return login.SessionCookie();
    }

    public static Task<HttpResponseMessage> Get(this HttpClient client, string path, string? cookie = null) =>
        client.SendAsync(new HttpRequestMessage(HttpMethod.Get, path).WithCookie(cookie));

    public static Task<HttpResponseMessage> Logout(this HttpClient client, string? cookie = null) =>
        client.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/logout").WithCookie(cookie));

    public static Task<HttpResponseMessage> Send(this HttpClient client, HttpMethod method, string path, string? cookie = null, object? json = null) =>
        client.SendAsync(new HttpRequestMessage(method, path)
        {
            Content = json is null ? null : JsonContent.Create(json),
        }.WithCookie(cookie));

    /// <summary>The session ids (public handles) of GET /me/sessions, and which one is current.</summary>
    public static async Task<(string Id, bool Current)[]> Sessions(this HttpClient client, string cookie)
    {
        var response = await client.Get("/me/sessions", cookie);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Json()).EnumerateArray()
            .Select(s => (s.GetProperty("id").GetString()!, s.GetProperty("current").GetBoolean()))
            .ToArray();
    }

    public static Task<HttpResponseMessage> PostRaw(this HttpClient client, string path, string body, string? contentType = "application/json")
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        if (contentType is not null) content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        return client.PostAsync(path, content);
    }

    public static HttpRequestMessage WithCookie(this HttpRequestMessage request, string? cookie)
    {
        if (cookie is not null) request.Headers.Add("Cookie", cookie);
        return request;
    }

    /// <summary>The Set-Cookie header of the session cookie, whole (with its attributes).</summary>
    public static string SetCookieHeader(this HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var values)
            ? Assert.Single(values, v => v.StartsWith("sliceauth=") || v.StartsWith("__Host-sliceauth="))
            : throw new Xunit.Sdk.XunitException("The response set no cookie.");

    /// <summary>"name=value" of the session cookie, ready to send back.</summary>
    public static string SessionCookie(this HttpResponseMessage response) => response.SetCookieHeader().Split(';')[0];

    public static async Task<JsonElement> Json(this HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    /// <summary>Asserts an RFC 9457 problem with this status and returns its body.</summary>
    public static async Task<JsonElement> Problem(this HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Json();
        Assert.Equal((int)status, body.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("title").GetString()));
        Assert.True(body.TryGetProperty("type", out _));
        return body;
    }

    /// <summary>The messages of one field in a validation problem.</summary>
    public static string[] FieldErrors(this JsonElement problem, string field) =>
        problem.GetProperty("errors").TryGetProperty(field, out var messages)
            ? messages.EnumerateArray().Select(m => m.GetString()!).ToArray()
            : [];

    public static string Unique(string prefix = "user") => $"{prefix}{Guid.NewGuid():N}"[..Math.Min(32, prefix.Length + 12)];
}
