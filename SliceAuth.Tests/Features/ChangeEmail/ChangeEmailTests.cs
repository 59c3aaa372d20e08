using System.Net;
using SliceAuth.Tests.Infrastructure;

namespace SliceAuth.Tests.Features.ChangeEmail;

/// <summary>POST /me/email: the new address confirms by link; only then does the account move, and the old address is told.</summary>
public sealed class ChangeEmailTests() : MailTest(MailTransport.Smtp)
{
    private async Task<string> Account(string username)
    {
        var cookie = await Client.RegisterAndLoginAt(username, $"{username}@example.com");
        await Mail.NextAsync($"{username}@example.com");
        return cookie;
    }

    private async Task<string> Me(string cookie, string property) =>
        (await (await Client.Get("/me", cookie)).Json()).GetProperty(property).ToString();

    [Fact]
    public async Task The_address_changes_when_the_link_to_the_new_one_is_opened_and_the_old_one_is_told()
    {
        var cookie = await Account("mover");

        Assert.Equal(HttpStatusCode.Accepted, (await Client.ChangeEmail(cookie, "Mover@New.example.org")).StatusCode);
        Assert.Equal("mover@example.com", await Me(cookie, "email"));
        var confirmation = await Mail.NextAsync("mover@new.example.org");

        Assert.Equal(HttpStatusCode.NoContent, (await Client.VerifyEmail(confirmation.Token!)).StatusCode);

        Assert.Equal("Mover@New.example.org", await Me(cookie, "email"));
        Assert.True(await Client.EmailVerified(cookie));
        var notice = await Mail.NextAsync("mover@example.com");
        Assert.Null(notice.Token);
        await (await Client.VerifyEmail(confirmation.Token!)).Problem(HttpStatusCode.BadRequest);
        Assert.Equal(HttpStatusCode.OK, (await Client.Login("mover")).StatusCode);
    }

    [Fact]
    public async Task After_the_change_a_reset_goes_to_the_new_address_only()
    {
        var cookie = await Account("relocated");
        await Client.ChangeEmail(cookie, "relocated@elsewhere.example");
        Assert.Equal(HttpStatusCode.NoContent, (await Client.VerifyEmail((await Mail.NextAsync("relocated@elsewhere.example")).Token!)).StatusCode);
        await Mail.NextAsync("relocated@example.com"); // the notice

        await Client.ForgotPassword("relocated@example.com");
        await Client.ForgotPassword("relocated@elsewhere.example");

        Assert.NotNull((await Mail.NextAsync("relocated@elsewhere.example")).Token);
        await Mail.AssertNoneAsync("relocated@example.com", TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task A_password_change_before_the_confirmation_kills_the_link()
    {
        var cookie = await Account("hijacked");
        await Client.ChangeEmail(cookie, "attacker@evil.example");
        var token = (await Mail.NextAsync("attacker@evil.example")).Token!;
        var changed = await Client.Send(HttpMethod.Post, "/me/password", cookie, new { currentPassword = Api.Password, newPassword = "taken back by the owner 1" });
        Assert.Equal(HttpStatusCode.NoContent, changed.StatusCode);

        await (await Client.VerifyEmail(token)).Problem(HttpStatusCode.BadRequest);
        Assert.Equal("hijacked@example.com", await Me(changed.SessionCookie(), "email"));
    }

    [Fact]
    public async Task Wrong_password_taken_address_and_the_same_address_are_refused_and_nothing_is_mailed()
    {
        var cookie = await Account("careful");
        Assert.Equal(HttpStatusCode.Created, (await Client.Register("other", "other@example.com")).StatusCode);
        await Mail.NextAsync("other@example.com");

        var wrong = await (await Client.ChangeEmail(cookie, "fresh@example.com", "not my password at all")).Problem(HttpStatusCode.BadRequest);
        Assert.NotEmpty(wrong.FieldErrors("password"));
        await (await Client.ChangeEmail(cookie, "OTHER@example.com")).Problem(HttpStatusCode.Conflict);
        var same = await (await Client.ChangeEmail(cookie, "careful@example.com")).Problem(HttpStatusCode.BadRequest);
        Assert.NotEmpty(same.FieldErrors("newEmail"));
        await (await Client.ChangeEmail(cookie, "not an address")).Problem(HttpStatusCode.BadRequest);

        await Mail.AssertNoneAsync("fresh@example.com", TimeSpan.FromMilliseconds(500));
        await Mail.AssertNoneAsync("other@example.com", TimeSpan.FromMilliseconds(500));
    }

    [Fact]
    public async Task An_address_registered_by_someone_else_before_the_confirmation_gets_409_and_the_link_keeps_its_word()
    {
        var cookie = await Account("slowmover");
        await Client.ChangeEmail(cookie, "contested@example.com");
        var token = (await Mail.NextAsync("contested@example.com")).Token!;
        Assert.Equal(HttpStatusCode.Created, (await Client.Register("quicker", "contested@example.com")).StatusCode);

        await (await Client.VerifyEmail(token)).Problem(HttpStatusCode.Conflict);

        Assert.Equal("slowmover@example.com", await Me(cookie, "email"));
    }

    [Fact]
    public async Task Without_a_session_it_is_401()
    {
        await (await Client.ChangeEmail("sliceauth=forged", "x@example.com")).Problem(HttpStatusCode.Unauthorized);
    }
}
