using System.Net;
using SliceAuth.Tests.Infrastructure;

namespace SliceAuth.Tests.Features.ConfirmTotp;

public sealed class ConfirmTotpTests : AppTest
{
    private async Task<string> Secret(string cookie) =>
        (await (await Client.StartEnrolment(cookie)).Json()).GetProperty("secret").GetString()!;

    [Fact]
    public async Task A_code_from_the_app_turns_TOTP_on_and_answers_ten_recovery_codes_once()
    {
        var cookie = await Client.RegisterAndLogin("gina");
        var secret = await Secret(cookie);

        var response = await Client.ConfirmTotp(cookie, TwoFactorApi.CodeAt(secret, App.Clock));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var codes = (await response.Json()).GetProperty("recoveryCodes").EnumerateArray().Select(c => c.GetString()!).ToArray();
        Assert.Equal(10, codes.Length);
        Assert.All(codes, c => Assert.Matches("^[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}$", c));
        Assert.Equal(10, codes.Distinct().Count());
        var me = await (await Client.Get("/me", cookie)).Json();
        Assert.True(me.GetProperty("twoFactorEnabled").GetBoolean());
        Assert.Equal(10, me.GetProperty("recoveryCodesLeft").GetInt32());
        Assert.True((await (await Client.Login("gina")).Json()).GetProperty("twoFactorRequired").GetBoolean());
    }

    [Fact]
    public async Task Turning_TOTP_on_keeps_my_session_and_ends_every_other()
    {
        var mine = await Client.RegisterAndLogin("hugo");
        var other = (await Client.Login("hugo")).SessionCookie();

        await Client.EnableTotp(mine, App.Clock);

        Assert.Equal(HttpStatusCode.OK, (await Client.Get("/protected", mine)).StatusCode);
        await (await Client.Get("/protected", other)).Problem(HttpStatusCode.Unauthorized);
        Assert.Single(await Client.Sessions(mine));
    }

    [Fact]
    public async Task Password_logins_racing_the_confirmation_keep_no_session_without_a_code()
    {
        var mine = await Client.RegisterAndLogin("ruth");
        var code = TwoFactorApi.CodeAt(await Secret(mine), App.Clock);

        // Fewer than the throttle's 10 places: checks in flight hold one each, and more would get 429 before any work.
        var logins = Enumerable.Range(0, 8).Select(_ => Client.Login("ruth")).ToList();
        var confirm = Client.ConfirmTotp(mine, code);
        await Task.WhenAll([.. logins, confirm]);

        Assert.Equal(HttpStatusCode.OK, (await confirm).StatusCode);
        // A racing login either finished first (its session then went with every other), saw TOTP on (no
        // session), or found the account changed under it (401); none holds a session now.
        foreach (var login in logins.Select(l => l.Result).Where(l => l.StatusCode == HttpStatusCode.OK))
        {
            var session = login.Headers.TryGetValues("Set-Cookie", out var cookies)
                ? cookies.FirstOrDefault(c => c.StartsWith("sliceauth=") && !c.StartsWith("sliceauth=;"))
                : null;
            if (session is not null) await (await Client.Get("/protected", session.Split(';')[0])).Problem(HttpStatusCode.Unauthorized);
        }
        Assert.All(logins.Select(l => l.Result.StatusCode), s => Assert.Contains(s, new[] { HttpStatusCode.OK, HttpStatusCode.Unauthorized }));
        Assert.Single(await Client.Sessions(mine));
    }

    [Fact]
    public async Task A_wrong_code_is_400_on_code_and_enables_nothing()
    {
        var cookie = await Client.RegisterAndLogin("ines");
        var secret = await Secret(cookie);
        var right = TwoFactorApi.CodeAt(secret, App.Clock);

        var problem = await (await Client.ConfirmTotp(cookie, ((int.Parse(right) + 1) % 1_000_000).ToString("D6"))).Problem(HttpStatusCode.BadRequest);

        Assert.NotEmpty(problem.FieldErrors("code"));
        Assert.False((await (await Client.Get("/me", cookie)).Json()).GetProperty("twoFactorEnabled").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, (await Client.ConfirmTotp(cookie, right)).StatusCode); // the enrolment is still there
    }

    [Fact]
    public async Task Without_an_enrolment_or_a_second_time_is_409()
    {
        var cookie = await Client.RegisterAndLogin("jonas");
        await (await Client.ConfirmTotp(cookie, "123456")).Problem(HttpStatusCode.Conflict);

        var secret = await Secret(cookie);
        Assert.Equal(HttpStatusCode.OK, (await Client.ConfirmTotp(cookie, TwoFactorApi.CodeAt(secret, App.Clock))).StatusCode);
        App.Clock.NextStep();
        await (await Client.ConfirmTotp(cookie, TwoFactorApi.CodeAt(secret, App.Clock))).Problem(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task The_code_used_to_confirm_cannot_complete_a_login()
    {
        var cookie = await Client.RegisterAndLogin("kai");
        var secret = await Secret(cookie);
        var code = TwoFactorApi.CodeAt(secret, App.Clock);
        Assert.Equal(HttpStatusCode.OK, (await Client.ConfirmTotp(cookie, code)).StatusCode);

        await (await Client.LoginSecondFactor(await Client.LoginPending("kai"), code)).Problem(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task The_secret_is_never_logged_nor_shown_by_me()
    {
        var cookie = await Client.RegisterAndLogin("lena");
        var (secret, codes) = await Client.EnableTotp(cookie, App.Clock);
        await Client.Logout(cookie);
        App.Clock.Advance(TimeSpan.FromMinutes(1));
        var session = (await Client.LoginSecondFactor(await Client.LoginPending("lena"), TwoFactorApi.CodeAt(secret, App.Clock))).SessionCookie();

        var me = await (await Client.Get("/me", session)).Content.ReadAsStringAsync();

        Assert.DoesNotContain(secret, me);
        Assert.Contains("\"twoFactorEnabled\":true", me);
        Assert.All(App.Logs.Entries, e =>
        {
            Assert.DoesNotContain(secret, e.AllText, StringComparison.OrdinalIgnoreCase);
            foreach (var code in codes) Assert.DoesNotContain(code, e.AllText, StringComparison.OrdinalIgnoreCase);
        });
        Assert.Contains(App.Logs.Entries, e => e.EventName == "2fa.enabled");
    }

    [Fact]
    public async Task Bad_input_is_a_400_problem_and_no_session_is_401()
    {
        var cookie = await Client.RegisterAndLogin("mona");
        await Secret(cookie);

        foreach (var code in new[] { "", "12345", "1234567", "12 456", "abcdef" })
            Assert.NotEmpty((await (await Client.ConfirmTotp(cookie, code)).Problem(HttpStatusCode.BadRequest)).FieldErrors("code"));
        await (await Client.Send(HttpMethod.Post, "/me/2fa/totp/confirm", json: new { code = "123456" })).Problem(HttpStatusCode.Unauthorized);
        Assert.False((await (await Client.Get("/me", cookie)).Json()).GetProperty("twoFactorEnabled").GetBoolean());
    }
}
