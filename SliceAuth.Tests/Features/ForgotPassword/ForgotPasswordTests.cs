using System.Net;
using SliceAuth.Tests.Infrastructure;

namespace SliceAuth.Tests.Features.ForgotPassword;

/// <summary>POST /password/forgot: always the same 202; a mail only for an address with an account, within the limits.</summary>
public sealed class ForgotPasswordTests() : MailTest(MailTransport.Smtp, new Dictionary<string, string?>
{
    ["Accounts:MailsPerAddress"] = "3",
    ["Accounts:MailsPerClient"] = "8",
})
{
    private async Task<string> Registered(string username)
    {
        var email = $"{username}@example.com";
        Assert.Equal(HttpStatusCode.Created, (await Client.Register(username, email)).StatusCode);
        await Mail.NextAsync(email);
        return email;
    }

    private static async Task<string> Shape(HttpResponseMessage response) =>
        $"{(int)response.StatusCode} {response.Content.Headers.ContentType} [{await response.Content.ReadAsStringAsync()}] " +
        string.Join(",", response.Headers.Select(h => h.Key).Where(k => k != "Date").Order());

    [Fact]
    public async Task Known_and_unknown_addresses_get_the_same_202_and_only_the_known_one_a_mail()
    {
        var known = await Registered("known");

        var forKnown = await Client.ForgotPassword(known);
        var forUnknown = await Client.ForgotPassword("nobody@example.com");

        Assert.Equal(HttpStatusCode.Accepted, forKnown.StatusCode);
        Assert.Equal(await Shape(forKnown), await Shape(forUnknown));
        var mail = await Mail.NextAsync(known);
        Assert.Contains("/account/reset-password?token=", mail.Link);
        await Mail.AssertNoneAsync("nobody@example.com", TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task The_address_is_matched_whatever_its_case()
    {
        var email = await Registered("cased");

        Assert.Equal(HttpStatusCode.Accepted, (await Client.ForgotPassword(email.ToUpperInvariant())).StatusCode);

        Assert.NotNull((await Mail.NextAsync(email)).Token);
    }

    [Fact]
    public async Task Past_the_per_address_limit_the_answer_stays_202_and_no_mail_goes_out()
    {
        var email = await Registered("flooded"); // the verification mail is one of the three

        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i < 5; i++) answers.Add(await Client.ForgotPassword(email));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.Accepted, a.StatusCode));
        await Mail.NextAsync(email);
        await Mail.NextAsync(email);
        await Mail.AssertNoneAsync(email, TimeSpan.FromSeconds(1));
        Assert.Contains(App.Logs.Entries, e => e.EventName == "mail.suppressed");
    }

    [Fact]
    public async Task The_per_address_limit_holds_for_fifty_requests_at_once()
    {
        var email = await Registered("stampede");

        var answers = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Client.ForgotPassword(email)));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.Accepted, a.StatusCode));
        await Mail.NextAsync(email);
        await Mail.NextAsync(email);
        await Mail.AssertNoneAsync(email, TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task The_allowance_comes_back_when_the_window_ends()
    {
        var email = await Registered("patient");
        for (var i = 0; i < 3; i++) await Client.ForgotPassword(email);
        await Mail.NextAsync(email);
        await Mail.NextAsync(email);
        await Mail.AssertNoneAsync(email, TimeSpan.FromSeconds(1));

        App.Clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));
        await Client.ForgotPassword(email);

        Assert.NotNull((await Mail.NextAsync(email)).Token);
    }

    [Fact]
    public async Task One_client_cannot_mail_many_addresses_past_its_own_limit()
    {
        // Eight per client: four registrations' verification mails, then four resets; the rest are not sent.
        var addresses = new List<string>();
        for (var i = 0; i < 4; i++) addresses.Add(await Registered($"victim{i}"));

        foreach (var address in addresses) Assert.Equal(HttpStatusCode.Accepted, (await Client.ForgotPassword(address)).StatusCode);
        foreach (var address in addresses) Assert.Equal(HttpStatusCode.Accepted, (await Client.ForgotPassword(address)).StatusCode);

        foreach (var address in addresses) await Mail.NextAsync(address);
        foreach (var address in addresses) await Mail.AssertNoneAsync(address, TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public async Task Requests_for_addresses_without_an_account_do_not_use_up_the_clients_allowance()
    {
        var email = await Registered("officemate");
        for (var i = 0; i < 20; i++) Assert.Equal(HttpStatusCode.Accepted, (await Client.ForgotPassword($"typo{i}@example.com")).StatusCode);

        Assert.Equal(HttpStatusCode.Accepted, (await Client.ForgotPassword(email)).StatusCode);

        Assert.NotNull((await Mail.NextAsync(email)).Token);
    }

    [Theory]
    [InlineData("""{"email":"not an address"}""")]
    [InlineData("""{"email":""}""")]
    [InlineData("""{}""")]
    [InlineData("""{"email":"a@b.c\u0000"}""")]
    public async Task A_bad_address_gets_400_problem(string body)
    {
        await (await Client.PostRaw("/password/forgot", body)).Problem(HttpStatusCode.BadRequest);
    }
}
