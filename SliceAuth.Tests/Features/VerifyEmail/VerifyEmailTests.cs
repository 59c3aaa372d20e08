using System.Net;
using SliceAuth.Tests.Infrastructure;

namespace SliceAuth.Tests.Features.VerifyEmail;

/// <summary>POST /email/verify with the token mailed at registration (or on request): the address is the owner's.</summary>
public sealed class VerifyEmailTests() : MailTest(MailTransport.Smtp)
{
    [Fact]
    public async Task Registration_mails_a_link_that_verifies_the_address_once()
    {
        var cookie = await Client.RegisterAndLoginAt("newcomer", "newcomer@example.com");
        Assert.False(await Client.EmailVerified(cookie));
        var mail = await Mail.NextAsync("newcomer@example.com");
        Assert.Contains("/account/verify-email?token=", mail.Link);

        Assert.Equal(HttpStatusCode.NoContent, (await Client.VerifyEmail(mail.Token!)).StatusCode);

        Assert.True(await Client.EmailVerified(cookie));
        await (await Client.VerifyEmail(mail.Token!)).Problem(HttpStatusCode.BadRequest);
        Assert.Contains(App.Logs.Entries, e => e.EventName == "email.verified");
    }

    [Fact]
    public async Task A_verification_link_expires_after_its_lifetime()
    {
        Assert.Equal(HttpStatusCode.Created, (await Client.Register("slow", "slow@example.com")).StatusCode);
        var token = (await Mail.NextAsync("slow@example.com")).Token!;
        App.Clock.Advance(TimeSpan.FromHours(24) + TimeSpan.FromSeconds(1));

        await (await Client.VerifyEmail(token)).Problem(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_reset_token_does_not_verify_an_address()
    {
        Assert.Equal(HttpStatusCode.Created, (await Client.Register("mixed", "mixed@example.com")).StatusCode);
        await Mail.NextAsync("mixed@example.com");
        await Client.ForgotPassword("mixed@example.com");
        var resetToken = (await Mail.NextAsync("mixed@example.com")).Token!;

        await (await Client.VerifyEmail(resetToken)).Problem(HttpStatusCode.BadRequest);
        Assert.Equal(HttpStatusCode.NoContent, (await Client.ResetPassword(resetToken, "a brand new passphrase 7")).StatusCode);
    }

    [Fact]
    public async Task Twenty_simultaneous_verifications_with_one_token_succeed_once()
    {
        Assert.Equal(HttpStatusCode.Created, (await Client.Register("eager", "eager@example.com")).StatusCode);
        var token = (await Mail.NextAsync("eager@example.com")).Token!;

        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Client.VerifyEmail(token)));

        Assert.Single(answers, a => a.StatusCode == HttpStatusCode.NoContent);
        Assert.All(answers.Where(a => a.StatusCode != HttpStatusCode.NoContent), a => Assert.Equal(HttpStatusCode.BadRequest, a.StatusCode));
    }

    [Theory]
    [InlineData("""{"token":""}""")]
    [InlineData("""{}""")]
    [InlineData("""{"token":"not-a-token"}""")]
    [InlineData("""{"token":"\u0000"}""")]
    public async Task A_missing_or_wrong_token_gets_400_problem(string body)
    {
        await (await Client.PostRaw("/email/verify", body)).Problem(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task An_overlong_token_gets_400_problem()
    {
        await (await Client.VerifyEmail(new string('a', 10_000))).Problem(HttpStatusCode.BadRequest);
    }
}

/// <summary>Accounts:RequireVerifiedEmail: login waits for the address to be verified, and says so only to the owner.</summary>
public sealed class RequireVerifiedEmailTests() : MailTest(MailTransport.PickupDirectory, new Dictionary<string, string?>
{
    ["Accounts:RequireVerifiedEmail"] = "true",
})
{
    [Fact]
    public async Task An_unverified_account_gets_403_with_the_right_password_and_401_with_a_wrong_one()
    {
        Assert.Equal(HttpStatusCode.Created, (await Client.Register("unverified", "unverified@example.com")).StatusCode);
        await Mail.NextAsync("unverified@example.com");

        var refused = await (await Client.Login("unverified")).Problem(HttpStatusCode.Forbidden);
        await (await Client.Login("unverified", "not the password at all")).Problem(HttpStatusCode.Unauthorized);
        await (await Client.Login("nobody-here", "not the password at all")).Problem(HttpStatusCode.Unauthorized);
        Assert.Contains("verified", refused.GetProperty("title").GetString());
    }

    [Fact]
    public async Task The_403_mails_a_fresh_link_and_after_verifying_login_works()
    {
        Assert.Equal(HttpStatusCode.Created, (await Client.Register("lateverifier", "late@example.com")).StatusCode);
        await Mail.NextAsync("late@example.com");
        App.Clock.Advance(TimeSpan.FromDays(2)); // the registration link has expired

        await (await Client.Login("lateverifier")).Problem(HttpStatusCode.Forbidden);
        var fresh = (await Mail.NextAsync("late@example.com")).Token!;
        Assert.Equal(HttpStatusCode.NoContent, (await Client.VerifyEmail(fresh)).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await Client.Login("lateverifier")).StatusCode);
    }
}
