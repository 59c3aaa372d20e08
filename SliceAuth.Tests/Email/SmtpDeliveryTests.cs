using System.Net;
using SliceAuth.Email;
using SliceAuth.Tests.Infrastructure;
using static SliceAuth.Tests.Email.MailTestKit;

namespace SliceAuth.Tests.Email;

/// <summary>Account mail over a real SMTP conversation (netDumbster on loopback), as a mail client receives it.</summary>
public sealed class SmtpDeliveryTests : IDisposable
{
    private readonly SmtpInbox _inbox = new();

    [Fact]
    public async Task A_reset_mail_arrives_with_both_bodies_and_a_link_carrying_the_token()
    {
        using var app = new SliceAuthApp(settings: _inbox.Settings.With(("Email:LinkBaseUrl", "https://app.example.com/account/")));
        var user = Account();
        var token = Token();

        app.Service<AccountMail>().ResetPassword(user, token);

        var mail = await _inbox.NextAsync(user.Email);
        Assert.Equal("Reset your password", mail.Subject);
        Assert.NotNull(mail.Text);
        Assert.NotNull(mail.Html);
        Assert.StartsWith("https://app.example.com/account/reset-password?token=", mail.Link);
        Assert.Equal(token, mail.Token); // escaped in the link, whole again when read back
        Assert.Contains(WebUtility.HtmlEncode(mail.Link!), mail.Html); // the HTML body links to the same place
        Assert.Contains(user.Username, mail.Text);
        Assert.Equal(1, _inbox.Count);
    }

    [Fact]
    public async Task Every_account_mail_arrives_at_the_address_it_belongs_to()
    {
        using var app = new SliceAuthApp(settings: _inbox.Settings);
        var mail = app.Service<AccountMail>();
        var user = Account();
        const string newEmail = "new.address@example.org";
        var verify = Token();
        var confirm = Token();

        mail.VerifyAddress(user, verify);
        mail.ConfirmNewAddress(user, newEmail, confirm);
        mail.PasswordChanged(user);
        mail.PasswordWasReset(user);
        mail.AccountDeleted(user);
        var oldEmail = user.Email;
        user.Email = newEmail;
        mail.EmailChanged(user, oldEmail);

        var verification = await _inbox.NextAsync(oldEmail);
        Assert.Contains("/verify-email?token=", verification.Link);
        Assert.Equal(verify, verification.Token);
        var confirmation = await _inbox.NextAsync(newEmail);
        Assert.Contains("/verify-email?token=", confirmation.Link);
        Assert.Equal(confirm, confirmation.Token);
        string[] notices = ["Your password was changed", "Your password was reset", "Your account was deleted", "Your email address was changed"];
        foreach (var subject in notices)
        {
            var notice = await _inbox.NextAsync(oldEmail);
            Assert.Equal(subject, notice.Subject);
            Assert.Null(notice.Link); // a notice carries no token
            Assert.NotNull(notice.Html);
            if (subject == "Your email address was changed")
            {
                // The old address learns that the address changed and a hint of the new one, not the whole of it.
                Assert.Contains("n***@example.org", notice.Text);
                Assert.DoesNotContain(newEmail, notice.Text);
                Assert.DoesNotContain(newEmail, notice.Html);
            }
        }
        // The six mails were sent one after another: nothing else is on its way to the new address.
        await _inbox.AssertNoneAsync(newEmail, TimeSpan.FromMilliseconds(200));
    }

    public void Dispose() => _inbox.Dispose();
}
