using System.Net;
using SliceAuth.Tests.Infrastructure;

namespace SliceAuth.Tests.Features.ChangePassword;

/// <summary>The account's address hears of every change that could mean someone else is in: the password, the account itself.</summary>
public sealed class SecurityNoticeTests() : MailTest(MailTransport.PickupDirectory)
{
    [Fact]
    public async Task A_password_change_is_told_to_the_address()
    {
        var cookie = await Client.RegisterAndLoginAt("told", "told@example.com");
        await Mail.NextAsync("told@example.com");

        Assert.Equal(HttpStatusCode.NoContent, (await Client.Send(HttpMethod.Post, "/me/password", cookie,
            new { currentPassword = Api.Password, newPassword = "a different passphrase 3" })).StatusCode);

        var notice = await Mail.NextAsync("told@example.com");
        Assert.Null(notice.Token);
        Assert.Contains("password", notice.Text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task An_account_deletion_is_told_to_the_address()
    {
        var cookie = await Client.RegisterAndLoginAt("gone", "gone@example.com");
        await Mail.NextAsync("gone@example.com");

        Assert.Equal(HttpStatusCode.NoContent, (await Client.Send(HttpMethod.Delete, "/me", cookie, new { password = Api.Password })).StatusCode);

        var notice = await Mail.NextAsync("gone@example.com");
        Assert.Contains("deleted", notice.Text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_wrong_password_tells_nobody()
    {
        var cookie = await Client.RegisterAndLoginAt("unbothered", "unbothered@example.com");
        await Mail.NextAsync("unbothered@example.com");

        await (await Client.Send(HttpMethod.Post, "/me/password", cookie,
            new { currentPassword = "wrong password here", newPassword = "a different passphrase 3" })).Problem(HttpStatusCode.BadRequest);

        await Mail.AssertNoneAsync("unbothered@example.com", TimeSpan.FromMilliseconds(500));
    }
}
