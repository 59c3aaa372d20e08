using System.Net;
using SliceAuth.Tests.Infrastructure;

namespace SliceAuth.Tests.Features.Protected;

public sealed class ProtectedTests : AppTest
{
    [Fact]
    public async Task A_session_gets_200_with_the_username_from_the_session()
    {
        var client = App.Client();
        var cookie = await client.RegisterAndLogin("  Alice_1 ");

        var response = await client.Get("/protected", cookie);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Json();
        Assert.Equal("Alice_1", body.GetProperty("username").GetString());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("message").GetString()));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("text/html,application/xhtml+xml")]
    [InlineData("application/json")]
    [InlineData("*/*")]
    public async Task No_session_gets_401_problem_never_a_redirect(string? accept)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/protected");
        if (accept is not null) request.Headers.TryAddWithoutValidation("Accept", accept);

        var response = await App.Client().SendAsync(request);

        await response.Problem(HttpStatusCode.Unauthorized);
        Assert.Null(response.Headers.Location);
    }

    [Theory]
    [InlineData("sliceauth=CfDJ8garbage")]
    [InlineData("sliceauth=")]
    [InlineData("sliceauth=%%%%")]
    [InlineData("sliceauth=chunks-2")]
    public async Task A_garbage_cookie_gets_401_not_500(string cookie)
    {
        var response = await App.Client().Get("/protected", cookie);

        await response.Problem(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_tampered_or_truncated_cookie_gets_401()
    {
        var client = App.Client();
        var cookie = await client.RegisterAndLogin("tamper");
        var value = cookie["sliceauth=".Length..];
        var flipped = value[..20] + (value[20] == 'A' ? 'B' : 'A') + value[21..];

        await (await client.Get("/protected", "sliceauth=" + flipped)).Problem(HttpStatusCode.Unauthorized);
        await (await client.Get("/protected", "sliceauth=" + value[..(value.Length / 2)])).Problem(HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.OK, (await client.Get("/protected", cookie)).StatusCode);
    }

    [Fact]
    public async Task A_random_large_cookie_gets_401()
    {
        var random = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(3000));

        var response = await App.Client().Get("/protected", "sliceauth=" + random);

        await response.Problem(HttpStatusCode.Unauthorized);
    }
}
