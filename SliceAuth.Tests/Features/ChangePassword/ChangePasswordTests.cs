using System.Net;
using SliceAuth.Tests.Infrastructure;

namespace SliceAuth.Tests.Features.ChangePassword;

public sealed class ChangePasswordTests : AppTest
{
    private const string NewPassword = "a brand new passphrase";

    private Task<HttpResponseMessage> Change(string cookie, string current, string next) =>
        Client.Send(HttpMethod.Post, "/me/password", cookie, new { currentPassword = current, newPassword = next });

    [Fact]
    public async Task Changing_the_password_replaces_my_session_and_ends_all_others()
    {
        var mine = await Client.RegisterAndLogin("victor");
        var other = (await Client.Login("victor")).SessionCookie();

        var response = await Change(mine, Api.Password, NewPassword);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var renewed = response.SessionCookie();
        Assert.NotEqual(mine, renewed);
        Assert.Equal(HttpStatusCode.OK, (await Client.Get("/protected", renewed)).StatusCode);
        await (await Client.Get("/protected", mine)).Problem(HttpStatusCode.Unauthorized);
        await (await Client.Get("/protected", other)).Problem(HttpStatusCode.Unauthorized);
        await (await Client.Login("victor")).Problem(HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.OK, (await Client.Login("victor", NewPassword)).StatusCode);
    }

    [Fact]
    public async Task A_wrong_current_password_is_400_on_currentPassword_and_changes_nothing()
    {
        var cookie = await Client.RegisterAndLogin("wendy");

        var problem = await (await Change(cookie, "not my password at all", NewPassword)).Problem(HttpStatusCode.BadRequest);

        Assert.NotEmpty(problem.FieldErrors("currentPassword"));
        Assert.Equal(HttpStatusCode.OK, (await Client.Get("/protected", cookie)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Client.Login("wendy")).StatusCode);
    }

    [Theory]
    [InlineData("short")]
    [InlineData("1qaz2wsx3edc")]          // on the common-password list
    [InlineData("my xander password")]    // contains the username
    [InlineData("xander.mail secret!")]   // contains the email's local part
    public async Task A_new_password_breaking_the_policy_is_400_on_newPassword(string next)
    {
        (await Client.Register("xander", "xander.mail@example.com")).EnsureSuccessStatusCode();
        var cookie = (await Client.Login("xander")).SessionCookie();

        var problem = await (await Change(cookie, Api.Password, next)).Problem(HttpStatusCode.BadRequest);

        Assert.NotEmpty(problem.FieldErrors("newPassword"));
        Assert.Equal(HttpStatusCode.OK, (await Client.Login("xander")).StatusCode);
    }

    [Fact]
    public async Task Wrong_current_passwords_count_towards_the_account_throttle()
    {
        var cookie = await Client.RegisterAndLogin("yara");
        for (var i = 0; i < 10; i++) await Change(cookie, "guess number " + i, NewPassword);

        var response = await Change(cookie, Api.Password, NewPassword);

        await response.Problem(HttpStatusCode.TooManyRequests);
        Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero);
    }

    [Fact]
    public async Task Without_a_session_gets_401()
    {
        await (await Client.Send(HttpMethod.Post, "/me/password", json: new { currentPassword = Api.Password, newPassword = NewPassword }))
            .Problem(HttpStatusCode.Unauthorized);
    }
}
