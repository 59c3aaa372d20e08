using System.Net;
using SliceAuth.Tests.Infrastructure;

namespace SliceAuth.Tests.Features.ResetPassword;

/// <summary>
/// POST /password/forgot then POST /password/reset with the mailed token: the way back in for a user who forgot
/// the password. Run over real SMTP and over the default pickup directory (the subclasses below).
/// </summary>
public abstract class ResetPasswordTests(MailTransport transport, IReadOnlyDictionary<string, string?>? settings = null)
    : MailTest(transport, settings)
{
    private const string NewPassword = "a brand new passphrase 7";

    private async Task<(string Cookie, string Email)> Account(string username)
    {
        var email = $"{username}@example.com";
        var cookie = await Client.RegisterAndLoginAt(username, email);
        await Mail.NextAsync(email); // the verification mail
        return (cookie, email);
    }

    private async Task<string> ResetToken(string email)
    {
        Assert.Equal(HttpStatusCode.Accepted, (await Client.ForgotPassword(email)).StatusCode);
        return (await Mail.NextAsync(email)).Token!;
    }

    [Fact]
    public async Task The_mailed_link_sets_a_new_password_once_and_every_session_of_the_account_ends()
    {
        var (cookie, email) = await Account("forgetful");
        var token = await ResetToken(email);

        Assert.Equal(HttpStatusCode.NoContent, (await Client.ResetPassword(token, NewPassword)).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await Client.Login("forgetful", NewPassword)).StatusCode);
        await (await Client.Login("forgetful", Api.Password)).Problem(HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Client.Get("/protected", cookie)).StatusCode);
        await (await Client.ResetPassword(token, "yet another passphrase 8")).Problem(HttpStatusCode.BadRequest);
        Assert.Equal(HttpStatusCode.OK, (await Client.Login("forgetful", NewPassword)).StatusCode);
    }

    [Fact]
    public async Task The_account_is_told_its_password_was_reset()
    {
        var (_, email) = await Account("notified");
        Assert.Equal(HttpStatusCode.NoContent, (await Client.ResetPassword(await ResetToken(email), NewPassword)).StatusCode);

        var notice = await Mail.NextAsync(email);
        Assert.Null(notice.Token);
        Assert.Contains("reset", notice.Text, StringComparison.OrdinalIgnoreCase);
    }
}

public sealed class ResetPasswordOverSmtpTests() : ResetPasswordTests(MailTransport.Smtp);

public sealed class ResetPasswordOverPickupDirectoryTests() : ResetPasswordTests(MailTransport.PickupDirectory);

/// <summary>The rules of the reset token, over the pickup directory (the transport makes no difference to them).</summary>
public sealed class ResetTokenRulesTests() : MailTest(MailTransport.PickupDirectory)
{
    private const string NewPassword = "a brand new passphrase 7";

    private async Task<string> Registered(string username)
    {
        var email = $"{username}@example.com";
        Assert.Equal(HttpStatusCode.Created, (await Client.Register(username, email)).StatusCode);
        await Mail.NextAsync(email);
        return email;
    }

    private async Task<string> ResetToken(string email)
    {
        Assert.Equal(HttpStatusCode.Accepted, (await Client.ForgotPassword(email)).StatusCode);
        return (await Mail.NextAsync(email)).Token!;
    }

    [Fact]
    public async Task Wrong_used_and_expired_tokens_get_the_same_400()
    {
        var email = await Registered("tokens");
        var used = await ResetToken(email);
        Assert.Equal(HttpStatusCode.NoContent, (await Client.ResetPassword(used, NewPassword)).StatusCode);
        await Mail.NextAsync(email); // the notice of the reset
        var expired = await ResetToken(email);
        App.Clock.Advance(TimeSpan.FromMinutes(31));

        var answers = new[]
        {
            await Client.ResetPassword(used, "another new passphrase 1"),
            await Client.ResetPassword(expired, "another new passphrase 1"),
            await Client.ResetPassword((used[0] == 'A' ? "B" : "A") + used[1..], "another new passphrase 1"),
            await Client.ResetPassword(new string('x', 43), "another new passphrase 1"),
        };

        var bodies = new List<string>();
        foreach (var answer in answers)
        {
            var problem = await answer.Problem(HttpStatusCode.BadRequest);
            // Everything but the trace id, which is per request.
            bodies.Add(string.Join("|", problem.EnumerateObject().Where(p => p.Name != "traceId").Select(p => $"{p.Name}={p.Value}")));
        }
        Assert.Single(bodies.Distinct());
        Assert.Equal(HttpStatusCode.OK, (await Client.Login("tokens", NewPassword)).StatusCode);
    }

    [Fact]
    public async Task A_token_still_works_just_before_its_lifetime_ends()
    {
        var email = await Registered("intime");
        var token = await ResetToken(email);
        App.Clock.Advance(TimeSpan.FromMinutes(29));

        Assert.Equal(HttpStatusCode.NoContent, (await Client.ResetPassword(token, NewPassword)).StatusCode);
    }

    [Fact]
    public async Task A_password_change_kills_every_outstanding_reset_link()
    {
        var email = await Registered("changer");
        var token = await ResetToken(email);
        var cookie = (await Client.Login("changer")).SessionCookie();
        Assert.Equal(HttpStatusCode.NoContent, (await Client.Send(HttpMethod.Post, "/me/password", cookie,
            new { currentPassword = Api.Password, newPassword = "changed it myself 42" })).StatusCode);

        await (await Client.ResetPassword(token, NewPassword)).Problem(HttpStatusCode.BadRequest);
        Assert.Equal(HttpStatusCode.OK, (await Client.Login("changer", "changed it myself 42")).StatusCode);
    }

    [Fact]
    public async Task A_reset_kills_the_other_reset_links_of_the_account()
    {
        var email = await Registered("twolinks");
        var first = await ResetToken(email);
        var second = await ResetToken(email);

        Assert.Equal(HttpStatusCode.NoContent, (await Client.ResetPassword(second, NewPassword)).StatusCode);
        await (await Client.ResetPassword(first, "another new passphrase 1")).Problem(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Fifty_simultaneous_resets_with_one_token_change_the_password_once()
    {
        var email = await Registered("racer");
        var token = await ResetToken(email);
        var passwords = Enumerable.Range(0, 50).Select(i => $"racing new passphrase {i:D2}").ToArray();

        var answers = await Task.WhenAll(passwords.Select(p => Client.ResetPassword(token, p)));

        var winners = passwords.Where((_, i) => answers[i].StatusCode == HttpStatusCode.NoContent).ToArray();
        Assert.Single(winners);
        Assert.All(answers.Where(a => a.StatusCode != HttpStatusCode.NoContent), a => Assert.Equal(HttpStatusCode.BadRequest, a.StatusCode));
        Assert.Equal(HttpStatusCode.OK, (await Client.Login("racer", winners[0])).StatusCode);
    }

    [Fact]
    public async Task A_reset_ends_the_run_of_failed_logins_so_the_owner_gets_in_at_once()
    {
        var email = await Registered("besieged");
        for (var i = 0; i < 10; i++) await Client.Login("besieged", "someone guessing " + i);
        await (await Client.Login("besieged")).Problem(HttpStatusCode.TooManyRequests);

        Assert.Equal(HttpStatusCode.NoContent, (await Client.ResetPassword(await ResetToken(email), NewPassword)).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await Client.Login("besieged", NewPassword)).StatusCode);
    }

    [Fact]
    public async Task A_new_password_that_breaks_the_policy_is_refused_and_the_token_keeps_working()
    {
        var email = await Registered("policyholder");
        var token = await ResetToken(email);

        var problem = await (await Client.ResetPassword(token, "policyholder is my name")).Problem(HttpStatusCode.BadRequest);
        Assert.NotEmpty(problem.FieldErrors("newPassword"));
        await (await Client.ResetPassword(token, "short")).Problem(HttpStatusCode.BadRequest);

        Assert.Equal(HttpStatusCode.NoContent, (await Client.ResetPassword(token, NewPassword)).StatusCode);
    }

    [Fact]
    public async Task A_token_of_a_deleted_account_is_refused()
    {
        var email = await Registered("leaver");
        var token = await ResetToken(email);
        var cookie = (await Client.Login("leaver")).SessionCookie();
        Assert.Equal(HttpStatusCode.NoContent, (await Client.Send(HttpMethod.Delete, "/me", cookie, new { password = Api.Password })).StatusCode);

        await (await Client.ResetPassword(token, NewPassword)).Problem(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Tokens_never_reach_the_logs()
    {
        var email = await Registered("quiet");
        var token = await ResetToken(email);
        Assert.Equal(HttpStatusCode.NoContent, (await Client.ResetPassword(token, NewPassword)).StatusCode);
        await (await Client.ResetPassword(token, NewPassword)).Problem(HttpStatusCode.BadRequest);

        Assert.DoesNotContain(App.Logs.Entries, e => e.AllText.Contains(token));
        Assert.Contains(App.Logs.Entries, e => e.EventName == "password.reset");
    }
}

/// <summary>Guessing tokens costs like guessing passwords: limited per client (RateLimiting:Tokens).</summary>
public sealed class ResetTokenGuessingTests() : MailTest(MailTransport.PickupDirectory, new Dictionary<string, string?>
{
    ["RateLimiting:Enabled"] = "true",
    ["RateLimiting:Tokens:PermitLimit"] = "5",
    ["RateLimiting:Tokens:Window"] = "00:01:00",
})
{
    [Fact]
    public async Task Token_guesses_past_the_client_limit_get_429_even_with_the_right_token()
    {
        const string email = "guessed@example.com";
        Assert.Equal(HttpStatusCode.Created, (await Client.Register("guessed", email)).StatusCode);
        await Mail.NextAsync(email);
        Assert.Equal(HttpStatusCode.Accepted, (await Client.ForgotPassword(email)).StatusCode);
        var token = (await Mail.NextAsync(email)).Token!;

        for (var i = 0; i < 5; i++) await (await Client.ResetPassword($"guess{i}", "a brand new passphrase 7")).Problem(HttpStatusCode.BadRequest);
        var limited = await Client.ResetPassword(token, "a brand new passphrase 7");

        await limited.Problem(HttpStatusCode.TooManyRequests);
        Assert.True(limited.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Equal(HttpStatusCode.OK, (await Client.Login("guessed")).StatusCode);
    }
}
