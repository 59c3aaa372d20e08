using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Reliability.Infra;

/// <summary>One answer, read completely, with what is needed for evidence.</summary>
public sealed record Reply(int Status, string? ContentType, string Body, IReadOnlyList<string> SetCookies, string Request, TimeSpan Sent, TimeSpan Received)
{
    /// <summary>Status 0: no answer (connection refused/reset, timeout); Body then holds the exception.</summary>
    public bool NoAnswer => Status == 0;

    /// <summary>The Retry-After header, when the answer has one.</summary>
    public string? RetryAfter { get; init; }

    public bool IsProblem => ContentType?.StartsWith("application/problem+json", StringComparison.OrdinalIgnoreCase) == true;

    /// <summary>"sliceauth=…" of a cookie this answer sets (not a deletion), or null.</summary>
    public string? SessionCookie => SetCookies
        .Select(c => c.Split(';')[0])
        .FirstOrDefault(c => c.StartsWith("sliceauth=") && c.Length > "sliceauth=".Length);

    public JsonElement? Json()
    {
        try { return JsonDocument.Parse(Body).RootElement.Clone(); }
        catch (JsonException) { return null; }
    }

    public string? Field(string name) =>
        Json() is { ValueKind: JsonValueKind.Object } o && o.TryGetProperty(name, out var v) ? v.ToString() : null;

    public override string ToString() =>
        $"{Request} -> {(NoAnswer ? "no answer" : Status.ToString())} {ContentType} {Clip(Body, 400)}";

    public static string Clip(string s, int max) => s.Length <= max ? s : s[..max] + $"…(+{s.Length - max} chars)";
}

public static class Http
{
    /// <summary>Cookies are never kept: every check says which cookie it sends.</summary>
    public static HttpClient Client(Uri baseAddress, int connections = 64, TimeSpan? timeout = null) =>
        new(new SocketsHttpHandler
        {
            UseCookies = false,
            AllowAutoRedirect = false,
            MaxConnectionsPerServer = connections,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(20),
            ConnectTimeout = TimeSpan.FromSeconds(5),
            // Lets the barrage send UTF-8 (and invalid) bytes in header values.
            RequestHeaderEncodingSelector = (_, _) => Encoding.Latin1,
        })
        {
            BaseAddress = baseAddress,
            Timeout = timeout ?? TimeSpan.FromSeconds(15),
            MaxResponseContentBufferSize = 4 * 1024 * 1024,
        };

    private static readonly Stopwatch Clock = Stopwatch.StartNew();

    public static TimeSpan Now => Clock.Elapsed;

    public static async Task<Reply> Call(this HttpClient http, HttpRequestMessage request, string? describe = null, CancellationToken ct = default)
    {
        var what = describe ?? $"{request.Method} {request.RequestUri}";
        var sent = Now;
        try
        {
            using var response = await http.SendAsync(request, ct);
            var body = await response.Content.ReadAsStringAsync(ct);
            var cookies = response.Headers.TryGetValues("Set-Cookie", out var v) ? v.ToList() : [];
            return new Reply((int)response.StatusCode, response.Content.Headers.ContentType?.ToString(), body, cookies, what, sent, Now)
            {
                RetryAfter = response.Headers.RetryAfter?.ToString(),
            };
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
        {
            if (ct.IsCancellationRequested) throw;
            var inner = e.InnerException is { } i ? $" <- {i.GetType().Name}: {i.Message}{(i.InnerException is { } ii ? $" <- {ii.Message}" : "")}" : "";
            return new Reply(0, null, $"{e.GetType().Name}: {e.Message}{inner}", [], what, sent, Now);
        }
        finally
        {
            request.Dispose();
        }
    }

    public static HttpRequestMessage Json(HttpMethod method, string path, object body, string? cookie = null)
    {
        var r = new HttpRequestMessage(method, path)
        {
            Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"),
        };
        if (cookie is not null) r.Headers.TryAddWithoutValidation("Cookie", cookie);
        return r;
    }

    public static HttpRequestMessage Get(string path, string? cookie = null, HttpMethod? method = null)
    {
        var r = new HttpRequestMessage(method ?? HttpMethod.Get, path);
        if (cookie is not null) r.Headers.TryAddWithoutValidation("Cookie", cookie);
        return r;
    }

    public static Task<Reply> Register(this HttpClient http, string username, string email, string password, CancellationToken ct = default) =>
        http.Call(Json(HttpMethod.Post, "/register", new { username, email, password }), $"POST /register {{username:{username}, email:{email}}}", ct);

    public static Task<Reply> Login(this HttpClient http, string username, string password, string? cookie = null, CancellationToken ct = default) =>
        http.Call(Json(HttpMethod.Post, "/login", new { username, password }, cookie), $"POST /login {{username:{username}}}", ct);

    public static Task<Reply> Logout(this HttpClient http, string? cookie, CancellationToken ct = default) =>
        http.Call(Get("/logout", cookie, HttpMethod.Post), "POST /logout", ct);

    public static Task<Reply> Protected(this HttpClient http, string? cookie, CancellationToken ct = default) =>
        http.Call(Get("/protected", cookie), "GET /protected", ct);

    public static Task<Reply> Me(this HttpClient http, string? cookie, CancellationToken ct = default) =>
        http.Call(Get("/me", cookie), "GET /me", ct);

    public static Task<Reply> ChangePassword(this HttpClient http, string? cookie, string current, string next, CancellationToken ct = default) =>
        http.Call(Json(HttpMethod.Post, "/me/password", new { currentPassword = current, newPassword = next }, cookie), "POST /me/password", ct);

    public static Task<Reply> DeleteAccount(this HttpClient http, string? cookie, string password, CancellationToken ct = default) =>
        http.Call(Json(HttpMethod.Delete, "/me", new { password }, cookie), "DELETE /me", ct);

    public static Task<Reply> Sessions(this HttpClient http, string? cookie, CancellationToken ct = default) =>
        http.Call(Get("/me/sessions", cookie), "GET /me/sessions", ct);

    public static Task<Reply> RevokeSession(this HttpClient http, string? cookie, string handle, CancellationToken ct = default) =>
        http.Call(Get($"/me/sessions/{Uri.EscapeDataString(handle)}", cookie, HttpMethod.Delete), "DELETE /me/sessions/{id}", ct);

    public static Task<Reply> RevokeOtherSessions(this HttpClient http, string? cookie, CancellationToken ct = default) =>
        http.Call(Get("/me/sessions", cookie, HttpMethod.Delete), "DELETE /me/sessions", ct);

    public static Task<Reply> Ready(this HttpClient http) => http.Call(Get("/health/ready"), "GET /health/ready");

    /// <summary>
    /// Raw bytes on a socket, for what HttpClient refuses to send (bad request lines, CR/LF or NUL in headers,
    /// a Content-Length that lies). Returns the status of the first answer, 0 if none came before the limit.
    /// </summary>
    public static async Task<Reply> Raw(Uri baseAddress, byte[] bytes, string describe, TimeSpan limit, bool closeAfterSend = false)
    {
        var sent = Now;
        using var cts = new CancellationTokenSource(limit);
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(baseAddress.Host, baseAddress.Port, cts.Token);
            var stream = client.GetStream();
            await stream.WriteAsync(bytes, cts.Token);
            if (closeAfterSend) client.Client.Shutdown(SocketShutdown.Send);
            var buffer = new byte[64 * 1024];
            var received = new MemoryStream();
            while (received.Length < 16 * 1024)
            {
                var n = await stream.ReadAsync(buffer, cts.Token);
                if (n == 0) break;
                received.Write(buffer, 0, n);
                var text = Encoding.Latin1.GetString(received.GetBuffer(), 0, (int)received.Length);
                if (text.Contains("\r\n\r\n")) break;
            }
            var head = Encoding.Latin1.GetString(received.ToArray());
            var status = head.StartsWith("HTTP/1.") && head.Length >= 12 && int.TryParse(head.AsSpan(9, 3), out var s) ? s : 0;
            var contentType = head.Split("\r\n").FirstOrDefault(l => l.StartsWith("Content-Type:", StringComparison.OrdinalIgnoreCase))?[13..].Trim();
            var body = head.Contains("\r\n\r\n") ? head[(head.IndexOf("\r\n\r\n") + 4)..] : "";
            return new Reply(status, contentType, status == 0 ? $"no status line; got {head.Length} bytes" : Reply.Clip(body.Replace("\r\n", " "), 300), [], describe, sent, Now);
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException)
        {
            return new Reply(0, null, $"{e.GetType().Name}: {e.Message}", [], describe, sent, Now);
        }
    }
}
