using SliceAuth.Email;
using SliceAuth.Tests.Infrastructure;
using static SliceAuth.Tests.Email.MailTestKit;

namespace SliceAuth.Tests.Email;

/// <summary>The default without SMTP settings: each mail an .eml file under {data directory}/mail, named in one log line.</summary>
public sealed class PickupDirectoryTests : AppTest
{
    [Fact]
    public async Task Without_smtp_settings_a_mail_is_an_eml_file_in_the_data_directory_named_in_one_log_line_without_the_token()
    {
        var mailbox = new PickupMailbox(App);
        var user = Account();
        var token = Token();

        App.Service<AccountMail>().VerifyAddress(user, token);

        var mail = await mailbox.NextAsync(user.Email);
        Assert.Equal(token, mail.Token);
        Assert.Contains("/verify-email?token=", mail.Link);
        var file = Assert.Single(mailbox.Files);
        Assert.StartsWith(Path.Combine(App.DataDirectory, "mail") + Path.DirectorySeparatorChar, file);
        Assert.Empty(Directory.GetFiles(mailbox.Directory, "*.tmp")); // written under another name, then renamed

        var line = Assert.Single(App.Logs.From<PickupDirectoryTransport>());
        Assert.Contains(file, line.Message);
        Assert.All(App.Logs.Entries, e => Assert.DoesNotContain(token, e.AllText));
        Assert.All(App.Logs.Entries, e => Assert.DoesNotContain(Uri.EscapeDataString(token), e.AllText));
    }

    [Fact]
    public async Task Email_PickupDirectory_moves_the_files()
    {
        var elsewhere = TempDirectory.Create();
        try
        {
            using var app = new SliceAuthApp(settings: new Dictionary<string, string?> { ["Email:PickupDirectory"] = elsewhere });
            var user = Account();

            app.Service<AccountMail>().PasswordChanged(user);

            var mail = await new PickupMailbox(elsewhere).NextAsync(user.Email);
            Assert.Equal("Your password was changed", mail.Subject);
            Assert.False(Directory.Exists(Path.Combine(app.DataDirectory, "mail")));
        }
        finally
        {
            TempDirectory.Delete(elsewhere);
        }
    }

    [Fact]
    public async Task A_username_is_html_encoded_and_never_comes_before_the_link()
    {
        var mailbox = new PickupMailbox(App);
        const string hostile = "<script>alert(1)</script> http://evil.example/?token=stolen";
        var user = Account(hostile);
        var token = Token();

        App.Service<AccountMail>().ResetPassword(user, token);

        var mail = await mailbox.NextAsync(user.Email);
        Assert.DoesNotContain("<script>", mail.Html);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", mail.Html);
        Assert.Contains(hostile, mail.Text); // plain text shows the name as it is
        Assert.Equal(token, mail.Token); // the first link is the real one, not the one in the name
        Assert.DoesNotContain("script", mail.Subject);
    }

    [Fact]
    public async Task At_shutdown_what_is_queued_is_still_written()
    {
        var dataDirectory = TempDirectory.Create();
        try
        {
            var users = Enumerable.Range(0, 5).Select(i => Account($"user{i}")).ToList();
            using (var app = new SliceAuthApp(dataDirectory))
            {
                var mail = app.Service<AccountMail>();
                foreach (var user in users) mail.PasswordChanged(user);
            }

            var mailbox = new PickupMailbox(Path.Combine(dataDirectory, "mail"));
            Assert.Equal(users.Count, mailbox.Files.Count);
            foreach (var user in users) Assert.Equal("Your password was changed", (await mailbox.NextAsync(user.Email, TimeSpan.Zero)).Subject);
        }
        finally
        {
            TempDirectory.Delete(dataDirectory);
        }
    }
}
