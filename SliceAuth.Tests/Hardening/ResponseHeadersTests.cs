using System.Net;
using SliceAuth.Tests.Infrastructure;

namespace SliceAuth.Tests.Hardening;

public sealed class ResponseHeadersTests : AppTest
{
    public static TheoryData<string, string> Requests => new()
    {
        { "GET", "/protected" },         // 401
        { "GET", "/health/live" },       // 200
        { "GET", "/nowhere" },           // 404
        { "GET", "/logout" },            // 405
        { "POST", "/register" },         // 415 (no body)
        { "POST", "/login" },            // 415
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task Every_API_response_errors_included_carries_the_security_headers(string method, string path)
    {
        var response = await App.Client().SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("no-referrer", Header(response, "Referrer-Policy"));
        Assert.Equal("default-src 'none'; frame-ancestors 'none'", Header(response, "Content-Security-Policy"));
        Assert.False(response.Headers.Contains("Server"));
        Assert.False(response.Headers.Contains("Strict-Transport-Security")); // plain HTTP
    }

    [Fact]
    public async Task Successful_JSON_answers_carry_them_too()
    {
        var client = App.Client();
        var cookie = await client.RegisterAndLogin("headers");

        var response = await client.Get("/me", cookie);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        Assert.Equal("default-src 'none'; frame-ancestors 'none'", Header(response, "Content-Security-Policy"));
    }

    [Fact]
    public async Task Over_HTTPS_responses_carry_HSTS()
    {
        var client = App.CreateClient(new() { BaseAddress = new Uri("https://localhost"), HandleCookies = false });

        var response = await client.Get("/health/live");

        // What SECURITY.md promises: a year, subdomains included.
        Assert.Equal("max-age=31536000; includeSubDomains", Header(response, "Strict-Transport-Security"));
    }

    [Fact]
    public async Task The_Swagger_page_gets_a_policy_that_lets_it_run_and_still_forbids_framing()
    {
        var response = await App.Client().Get("/swagger/index.html");

        var policy = Header(response, "Content-Security-Policy")!;
        Assert.Contains("script-src 'self'", policy);
        Assert.Contains("connect-src 'self'", policy);
        Assert.Contains("frame-ancestors 'none'", policy);
        Assert.DoesNotContain("unsafe-eval", policy);
    }

    [Fact]
    public async Task A_wrong_method_on_a_known_route_is_405_problem_with_Allow()
    {
        var response = await App.Client().Get("/logout");

        await response.Problem(HttpStatusCode.MethodNotAllowed);
        Assert.Contains("POST", response.Content.Headers.Allow);
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(", ", values)
        : response.Content.Headers.TryGetValues(name, out var content) ? string.Join(", ", content) : null;
}
