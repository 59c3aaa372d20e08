using System.Net;
using SliceAuth.Data;
using SliceAuth.Tests.Infrastructure;

namespace SliceAuth.Tests.Features.DeleteAccount;

public sealed class DeleteAccountTests : IDisposable
{
    private readonly SliceAuthApp _app = new();
    private readonly HttpClient _client;

    public DeleteAccountTests() => _client = _app.Client();

    [Fact]
    public async Task Deleting_the_account_ends_every_session_and_frees_the_name_and_email()
    {
        (await _client.Register("zack", "zack@example.com")).EnsureSuccessStatusCode();
        var mine = (await _client.Login("zack")).SessionCookie();
        var other = (await _client.Login("zack")).SessionCookie();

        var response = await _client.Send(HttpMethod.Delete, "/me", mine, new { password = Api.Password });

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Contains("expires=thu, 01 jan 1970", response.SetCookieHeader().ToLowerInvariant());
        await (await _client.Get("/me", mine)).Problem(HttpStatusCode.Unauthorized);
        await (await _client.Get("/protected", other)).Problem(HttpStatusCode.Unauthorized);
        await (await _client.Login("zack")).Problem(HttpStatusCode.Unauthorized);
        Assert.Equal(0, _app.Service<AppDatabase>().Sessions.Count());
        Assert.Equal(HttpStatusCode.Created, (await _client.Register("ZACK", "Zack@Example.com")).StatusCode);
    }

    [Fact]
    public async Task A_wrong_password_is_400_on_password_and_deletes_nothing()
    {
        var cookie = await _client.RegisterAndLogin("yusuf");

        var problem = await (await _client.Send(HttpMethod.Delete, "/me", cookie, new { password = "not the password!" })).Problem(HttpStatusCode.BadRequest);

        Assert.NotEmpty(problem.FieldErrors("password"));
        Assert.Equal(HttpStatusCode.OK, (await _client.Get("/me", cookie)).StatusCode);
    }

    [Fact]
    public async Task Without_a_session_gets_401()
    {
        await (await _client.Send(HttpMethod.Delete, "/me", json: new { password = Api.Password })).Problem(HttpStatusCode.Unauthorized);
    }

    public void Dispose() => _app.Dispose();
}
