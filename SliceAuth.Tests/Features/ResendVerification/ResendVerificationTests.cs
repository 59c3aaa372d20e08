using System.Net;
using SliceAuth.Tests.Infrastructure;

namespace SliceAuth.Tests.Features.ResendVerification;

/// <summary>POST /me/email/verification: a new link for the session's account, within the mail limits.</summary>
public sealed class ResendVerificationTests() : MailTest(MailTransport.PickupDirectory)
{
    [Fact]
    public async Task A_new_link_is_mailed_and_verifies_the_address()
    {
        var cookie = await Client.RegisterAndLoginAt("resender", "resender@example.com");
        await Mail.NextAsync("resender@example.com");

        Assert.Equal(HttpStatusCode.Accepted, (await Client.ResendVerification(cookie)).StatusCode);
        var token = (await Mail.NextAsync("resender@example.com")).Token!;

        Assert.Equal(HttpStatusCode.NoContent, (await Client.VerifyEmail(token)).StatusCode);
        Assert.True(await Client.EmailVerified(cookie));
    }

    [Fact]
    public async Task An_address_already_verified_gets_409_and_no_mail()
    {
        var cookie = await Client.RegisterAndLoginAt("done", "done@example.com");
        Assert.Equal(HttpStatusCode.NoContent, (await Client.VerifyEmail((await Mail.NextAsync("done@example.com")).Token!)).StatusCode);

        await (await Client.ResendVerification(cookie)).Problem(HttpStatusCode.Conflict);
        await Mail.AssertNoneAsync("done@example.com", TimeSpan.FromMilliseconds(500));
    }

    [Fact]
    public async Task Past_the_limit_the_answer_stays_202_and_no_mail_goes_out()
    {
        var cookie = await Client.RegisterAndLoginAt("impatient", "impatient@example.com");
        await Mail.NextAsync("impatient@example.com");

        for (var i = 0; i < 4; i++) Assert.Equal(HttpStatusCode.Accepted, (await Client.ResendVerification(cookie)).StatusCode);

        await Mail.NextAsync("impatient@example.com");
        await Mail.NextAsync("impatient@example.com");
        await Mail.AssertNoneAsync("impatient@example.com", TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task Without_a_session_it_is_401()
    {
        await (await Client.Send(HttpMethod.Post, "/me/email/verification")).Problem(HttpStatusCode.Unauthorized);
    }
}
