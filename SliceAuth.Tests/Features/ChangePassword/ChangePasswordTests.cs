using System.Net;
using SliceAuth.Tests.Infrastructure;

namespace SliceAuth.Tests.Features.ChangePassword;

public sealed class ChangePasswordTests : IDisposable
{
    private const string NewPassword = "a brand new passphrase";
    private readonly SliceAuthApp _app = new();
    private readonly HttpClient _client;

    public ChangePasswordTests() => _client = _app.Client();

    private Task<HttpResponseMessage> Change(string cookie, string current, string next) =>
        _client.Send(HttpMethod.Post, "/me/password", cookie, new { currentPassword = current, newPassword = next });

    [Fact]
    public async Task Changing_the_password_replaces_my_session_and_ends_all_others()
    {
        var mine = await _client.RegisterAndLogin("victor");
        var other = (await _client.Login("victor")).SessionCookie();

        var response = await Change(mine, Api.Password, NewPassword);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var renewed = response.SessionCookie();
        Assert.NotEqual(mine, renewed);
        Assert.Equal(HttpStatusCode.OK, (await _client.Get("/protected", renewed)).StatusCode);
        await (await _client.Get("/protected", mine)).Problem(HttpStatusCode.Unauthorized);
        await (await _client.Get("/protected", other)).Problem(HttpStatusCode.Unauthorized);
        await (await _client.Login("victor")).Problem(HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.OK, (await _client.Login("victor", NewPassword)).StatusCode);
    }

    [Fact]
    public async Task A_wrong_current_password_is_400_on_currentPassword_and_changes_nothing()
    {
        var cookie = await _client.RegisterAndLogin("wendy");

        var problem = await (await Change(cookie, "not my password at all", NewPassword)).Problem(HttpStatusCode.BadRequest);

        Assert.NotEmpty(problem.FieldErrors("currentPassword"));
        Assert.Equal(HttpStatusCode.OK, (await _client.Get("/protected", cookie)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _client.Login("wendy")).StatusCode);
    }

    [Theory]
    [InlineData("short")]
    [InlineData("1qaz2wsx3edc")]          // on the common-password list
    [InlineData("my xander password")]    // contains the username
    [InlineData("xander.mail secret!")]   // contains the email's local part
    public async Task A_new_password_breaking_the_policy_is_400_on_newPassword(string next)
    {
        (await _client.Register("xander", "xander.mail@example.com")).EnsureSuccessStatusCode();
        var cookie = (await _client.Login("xander")).SessionCookie();

        var problem = await (await Change(cookie, Api.Password, next)).Problem(HttpStatusCode.BadRequest);

        Assert.NotEmpty(problem.FieldErrors("newPassword"));
        Assert.Equal(HttpStatusCode.OK, (await _client.Login("xander")).StatusCode);
    }

    [Fact]
    public async Task Wrong_current_passwords_count_towards_the_account_throttle()
    {
        var cookie = await _client.RegisterAndLogin("yara");
        for (var i = 0; i < 10; i++) await Change(cookie, "guess number " + i, NewPassword);

        var response = await Change(cookie, Api.Password, NewPassword);

        await response.Problem(HttpStatusCode.TooManyRequests);
        Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero);
    }

    [Fact]
    public async Task Without_a_session_gets_401()
    {
        await (await _client.Send(HttpMethod.Post, "/me/password", json: new { currentPassword = Api.Password, newPassword = NewPassword }))
            .Problem(HttpStatusCode.Unauthorized);
    }

    public void Dispose() => _app.Dispose();
}
