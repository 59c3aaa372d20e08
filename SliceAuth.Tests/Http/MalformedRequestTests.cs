using SliceAuth.Data.LiteDb;
using System.Net;
using SliceAuth.Data;
using SliceAuth.Tests.Infrastructure;

namespace SliceAuth.Tests.Http;

/// <summary>Bad input gets a plain 4xx problem and changes nothing; no parser internals leak.</summary>
public sealed class MalformedRequestTests : AppTest
{
    [Theory]
    [InlineData("/register", "{\"username\":")]
    [InlineData("/register", "")]
    [InlineData("/register", "null")]
    [InlineData("/register", "[]")]
    [InlineData("/register", "\"text\"")]
    [InlineData("/register", "{\"username\":\"x\",}")]
    [InlineData("/register", "{\"username\":123,\"email\":\"a@example.com\",\"password\":\"long enough pass\"}")]
    [InlineData("/register", "{\"username\":{\"nested\":true}}")]
    [InlineData("/login", "nul")]
    [InlineData("/login", "{\"username\":[\"a\"],\"password\":\"x\"}")]
    public async Task Malformed_JSON_gets_a_plain_400_problem(string path, string body)
    {
        var problem = await (await Client.PostRaw(path, body)).Problem(HttpStatusCode.BadRequest);

        var text = problem.GetRawText();
        Assert.True(problem.TryGetProperty("errors", out _));
        foreach (var leak in new[] { "LineNumber", "BytePosition", "System.", "Exception", "   at " })
            Assert.DoesNotContain(leak, text);
        Assert.Equal(0, App.StoredUserCount());
    }

    [Fact]
    public async Task A_field_of_the_wrong_type_is_named_in_errors()
    {
        var problem = await (await Client.PostRaw("/register", "{\"username\":123,\"email\":\"a@example.com\",\"password\":\"long enough pass\"}"))
            .Problem(HttpStatusCode.BadRequest);

        Assert.NotEmpty(problem.FieldErrors("username"));
    }

    [Theory]
    [InlineData("/register", "text/plain")]
    [InlineData("/login", "application/x-www-form-urlencoded")]
    [InlineData("/login", "application/xml")]
    [InlineData("/login", null)]
    public async Task Non_JSON_content_types_get_415_problem(string path, string? contentType)
    {
        var response = await Client.PostRaw(path, "username=a&password=b", contentType);

        // A wrong type (refused by routing) and a missing one (refused by the app) get the same answer.
        var problem = await response.Problem(HttpStatusCode.UnsupportedMediaType);
        Assert.Equal("Send the request body as application/json (UTF-8).", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Extra_JSON_fields_are_ignored()
    {
        var response = await Client.PostRaw("/register",
            "{\"username\":\"extra\",\"email\":\"extra@example.com\",\"password\":\"long enough pass\",\"id\":\"00000000-0000-0000-0000-000000000001\",\"passwordHash\":\"x\",\"isAdmin\":true}");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.NotEqual("00000000-0000-0000-0000-000000000001", (await response.Json()).GetProperty("id").GetString());
        Assert.Equal(HttpStatusCode.OK, (await Client.Login("extra", "long enough pass")).StatusCode);
    }

    [Fact]
    public async Task An_unknown_route_gets_a_404_problem_not_HTML()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/nowhere");
        request.Headers.TryAddWithoutValidation("Accept", "text/html");

        var response = await Client.SendAsync(request);

        await response.Problem(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("GET", "/logout", "POST")]
    [InlineData("DELETE", "/protected", "GET")]
    public async Task A_wrong_method_on_a_known_route_gets_a_405_problem_with_Allow_not_HTML(string method, string path, string allowed)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        request.Headers.TryAddWithoutValidation("Accept", "text/html");

        var response = await Client.SendAsync(request);

        await response.Problem(HttpStatusCode.MethodNotAllowed);
        Assert.Contains(allowed, response.Content.Headers.Allow);
    }

    [Fact]
    public async Task A_GET_to_logout_logs_nobody_out()
    {
        var cookie = await Client.RegisterAndLogin("stays");

        await Client.Get("/logout", cookie);

        Assert.Equal(HttpStatusCode.OK, (await Client.Get("/protected", cookie)).StatusCode);
    }
}
