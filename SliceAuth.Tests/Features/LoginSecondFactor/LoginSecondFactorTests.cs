using System.Net;
using SliceAuth.Tests.Infrastructure;

namespace SliceAuth.Tests.Features.LoginSecondFactor;

/// <summary>POST /login for a TOTP account gives a pending login, not a session; POST /login/2fa turns it into one.</summary>
public sealed class LoginSecondFactorTests : AppTest
{
    private ManualClock Clock => App.Clock;

    /// <summary>An account with TOTP on, logged out everywhere, its clock moved past the step its confirmation used.</summary>
    private async Task<(string Secret, string[] RecoveryCodes)> TotpAccount(string username)
    {
        var cookie = await Client.RegisterAndLogin(username);
        var enabled = await Client.EnableTotp(cookie, Clock);
        Assert.Equal(HttpStatusCode.NoContent, (await Client.Logout(cookie)).StatusCode);
        Clock.Advance(TimeSpan.FromMinutes(2));
        return enabled;
    }

    [Fact]
    public async Task The_right_password_of_a_TOTP_account_gives_twoFactorRequired_and_a_pending_cookie_but_no_session()
    {
        await TotpAccount("tina");

        var login = await Client.Login("tina");

        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var body = await login.Json();
        Assert.True(body.GetProperty("twoFactorRequired").GetBoolean());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, body.GetProperty("username").ValueKind);
        var header = login.PendingCookieHeader().ToLowerInvariant();
        foreach (var attribute in new[] { "httponly", "samesite=strict", "path=/login", "max-age=300" }) Assert.Contains(attribute, header);
        // No session cookie is set (at most a deletion of one).
        var sessionCookies = login.Headers.TryGetValues("Set-Cookie", out var all) ? all.Where(v => v.StartsWith("sliceauth=")).ToList() : [];
        Assert.All(sessionCookies, c => Assert.StartsWith("sliceauth=;", c));
    }

    [Fact]
    public async Task Over_HTTPS_the_pending_cookie_is_Secure()
    {
        await TotpAccount("tilo");
        var https = App.CreateClient(new() { BaseAddress = new Uri("https://localhost"), HandleCookies = false });

        var login = await https.Login("tilo");

        Assert.Contains("secure", login.PendingCookieHeader().ToLowerInvariant());
    }

    [Fact]
    public async Task The_pending_cookie_opens_no_protected_route()
    {
        await TotpAccount("uma");
        var pending = await Client.LoginPending("uma");
        var token = pending.Split('=', 2)[1];

        // As sent, and under the session cookie's name: neither is a session.
        foreach (var cookie in new[] { pending, "sliceauth=" + token })
        {
            await (await Client.Get("/protected", cookie)).Problem(HttpStatusCode.Unauthorized);
            await (await Client.Get("/me", cookie)).Problem(HttpStatusCode.Unauthorized);
            await (await Client.Get("/me/sessions", cookie)).Problem(HttpStatusCode.Unauthorized);
        }
    }

    [Fact]
    public async Task A_wrong_password_of_a_TOTP_account_is_the_same_401_as_before()
    {
        await TotpAccount("vera");

        var login = await Client.Login("vera", "not the password at all");

        await login.Problem(HttpStatusCode.Unauthorized);
        Assert.False(login.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith(TwoFactorApi.PendingCookieName)));
    }

    [Fact]
    public async Task The_right_code_turns_the_pending_login_into_a_session_once()
    {
        var (secret, _) = await TotpAccount("walt");
        var pending = await Client.LoginPending("walt");

        var response = await Client.LoginSecondFactor(pending, TwoFactorApi.CodeAt(secret, Clock));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("walt", (await response.Json()).GetProperty("username").GetString());
        var session = response.SessionCookie();
        Assert.Equal(HttpStatusCode.OK, (await Client.Get("/protected", session)).StatusCode);
        Assert.StartsWith(TwoFactorApi.PendingCookieName + "=;", response.PendingCookieHeader()); // cleared
        // The pending login is spent: the same cookie with the next code gets nothing.
        Clock.NextStep();
        await (await Client.LoginSecondFactor(pending, TwoFactorApi.CodeAt(secret, Clock))).Problem(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_code_accepted_once_is_refused_on_a_new_login()
    {
        var (secret, _) = await TotpAccount("xena");
        var code = TwoFactorApi.CodeAt(secret, Clock);
        Assert.Equal(HttpStatusCode.OK, (await Client.LoginSecondFactor(await Client.LoginPending("xena"), code)).StatusCode);

        var replay = await Client.LoginSecondFactor(await Client.LoginPending("xena"), code);

        await replay.Problem(HttpStatusCode.Unauthorized);
        Assert.False(replay.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith("sliceauth=") && !c.StartsWith("sliceauth=;")));
    }

    [Fact]
    public async Task A_wrong_code_is_401_and_the_pending_login_stays_usable()
    {
        var (secret, _) = await TotpAccount("yuri");
        var pending = await Client.LoginPending("yuri");
        var right = TwoFactorApi.CodeAt(secret, Clock);
        var wrong = ((int.Parse(right) + 1) % 1_000_000).ToString("D6");

        await (await Client.LoginSecondFactor(pending, wrong)).Problem(HttpStatusCode.Unauthorized);

        Assert.Equal(HttpStatusCode.OK, (await Client.LoginSecondFactor(pending, right)).StatusCode);
    }

    [Theory]
    [InlineData(-30)]
    [InlineData(30)]
    public async Task A_code_one_step_off_is_accepted(int skewSeconds)
    {
        var (secret, _) = await TotpAccount("zeno" + (skewSeconds > 0 ? "a" : "b"));
        var pending = await Client.LoginPending("zeno" + (skewSeconds > 0 ? "a" : "b"));

        var response = await Client.LoginSecondFactor(pending, TwoFactorApi.CodeAt(secret, Clock, TimeSpan.FromSeconds(skewSeconds)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData(-60)]
    [InlineData(60)]
    public async Task A_code_two_steps_off_is_refused(int skewSeconds)
    {
        var name = "omar" + (skewSeconds > 0 ? "a" : "b");
        var (secret, _) = await TotpAccount(name);
        var pending = await Client.LoginPending(name);
        var skewed = TwoFactorApi.CodeAt(secret, Clock, TimeSpan.FromSeconds(skewSeconds));
        // The same digits can, rarely, also be a code within the window: then this test would say nothing.
        Assert.DoesNotContain(skewed, new[] { -30, 0, 30 }.Select(s => TwoFactorApi.CodeAt(secret, Clock, TimeSpan.FromSeconds(s))));

        await (await Client.LoginSecondFactor(pending, skewed)).Problem(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task The_pending_login_expires_after_five_minutes()
    {
        var (secret, _) = await TotpAccount("paula");
        var pending = await Client.LoginPending("paula");

        Clock.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));

        await (await Client.LoginSecondFactor(pending, TwoFactorApi.CodeAt(secret, Clock))).Problem(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task The_pending_login_still_works_just_before_five_minutes()
    {
        var (secret, _) = await TotpAccount("quinn");
        var pending = await Client.LoginPending("quinn");

        Clock.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(1));

        Assert.Equal(HttpStatusCode.OK, (await Client.LoginSecondFactor(pending, TwoFactorApi.CodeAt(secret, Clock))).StatusCode);
    }

    [Fact]
    public async Task A_password_change_meanwhile_kills_the_pending_login()
    {
        var (secret, _) = await TotpAccount("nils");
        var pending = await Client.LoginPending("nils");
        var session = (await Client.LoginSecondFactor(await Client.LoginPending("nils"), TwoFactorApi.CodeAt(secret, Clock))).SessionCookie();
        Assert.Equal(HttpStatusCode.NoContent, (await Client.Send(HttpMethod.Post, "/me/password", session,
            new { currentPassword = Api.Password, newPassword = "another fine passphrase" })).StatusCode);
        Clock.NextStep();

        await (await Client.LoginSecondFactor(pending, TwoFactorApi.CodeAt(secret, Clock))).Problem(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_recovery_code_logs_in_once_and_is_then_dead()
    {
        var (_, codes) = await TotpAccount("rosa");

        var first = await Client.LoginSecondFactor(await Client.LoginPending("rosa"), recoveryCode: codes[3]);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var me = await (await Client.Get("/me", first.SessionCookie())).Json();
        Assert.Equal(9, me.GetProperty("recoveryCodesLeft").GetInt32());
        await (await Client.LoginSecondFactor(await Client.LoginPending("rosa"), recoveryCode: codes[3])).Problem(HttpStatusCode.Unauthorized);
        // Typed differently (lower case, spaces for dashes), another code still works.
        Assert.Equal(HttpStatusCode.OK,
            (await Client.LoginSecondFactor(await Client.LoginPending("rosa"), recoveryCode: codes[4].ToLowerInvariant().Replace('-', ' '))).StatusCode);
    }

    [Fact]
    public async Task Ten_wrong_codes_throttle_the_account_and_a_right_password_does_not_reset_the_count()
    {
        var (secret, _) = await TotpAccount("sven");
        var right = TwoFactorApi.CodeAt(secret, Clock);
        var wrong = ((int.Parse(right) + 500_000) % 1_000_000).ToString("D6");
        for (var i = 0; i < 10; i++)
        {
            // A new password step each time: the password throttle is reset by each, the code throttle is not.
            await (await Client.LoginSecondFactor(await Client.LoginPending("sven"), wrong)).Problem(HttpStatusCode.Unauthorized);
        }

        var response = await Client.LoginSecondFactor(await Client.LoginPending("sven"), right);

        await response.Problem(HttpStatusCode.TooManyRequests);
        Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        // After the window the right code works again.
        Clock.Advance(TimeSpan.FromMinutes(16));
        Assert.Equal(HttpStatusCode.OK,
            (await Client.LoginSecondFactor(await Client.LoginPending("sven"), TwoFactorApi.CodeAt(secret, Clock))).StatusCode);
    }

    [Fact]
    public async Task Twenty_simultaneous_completions_with_one_code_start_exactly_one_session()
    {
        var (secret, _) = await TotpAccount("tess");
        var pendings = new List<string>();
        for (var i = 0; i < 20; i++) pendings.Add(await Client.LoginPending("tess"));
        var code = TwoFactorApi.CodeAt(secret, Clock);

        var responses = await Task.WhenAll(pendings.Select(p => Client.LoginSecondFactor(p, code)));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
        Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.OK),
            r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests }));
        var session = responses.Single(r => r.StatusCode == HttpStatusCode.OK).SessionCookie();
        Assert.Single(await Client.Sessions(session));
    }

    [Fact]
    public async Task Twenty_simultaneous_completions_of_one_pending_login_with_different_codes_start_exactly_one_session()
    {
        var (secret, codes) = await TotpAccount("uwe");
        var pending = await Client.LoginPending("uwe");
        var proofs = codes.Take(9).Select(c => (Code: (string?)null, Recovery: (string?)c))
            .Append((TwoFactorApi.CodeAt(secret, Clock), null))
            .ToList();

        var responses = await Task.WhenAll(proofs.Select(p => Client.LoginSecondFactor(pending, p.Code, p.Recovery)));

        var session = Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK).SessionCookie();
        Assert.Single(await Client.Sessions(session));
    }

    [Fact]
    public async Task Without_a_pending_cookie_or_with_a_made_up_one_is_401()
    {
        var (secret, _) = await TotpAccount("vik");
        var code = TwoFactorApi.CodeAt(secret, Clock);

        await (await Client.LoginSecondFactor(null, code)).Problem(HttpStatusCode.Unauthorized);
        await (await Client.LoginSecondFactor(TwoFactorApi.PendingCookieName + "=made-up-token", code)).Problem(HttpStatusCode.Unauthorized);
        // Nothing was consumed: the code still completes a real pending login.
        Assert.Equal(HttpStatusCode.OK, (await Client.LoginSecondFactor(await Client.LoginPending("vik"), code)).StatusCode);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("{\"code\":\"12345\"}")]
    [InlineData("{\"code\":\"12345a\"}")]
    [InlineData("{\"code\":\"123456\",\"recoveryCode\":\"AAAA-BBBB-CCCC-DDDD\"}")]
    [InlineData("{\"recoveryCode\":\"\"}")]
    [InlineData("{\"code\":")]
    [InlineData("[1,2]")]
    public async Task Bad_bodies_are_400_problems(string body)
    {
        await (await Client.PostRaw("/login/2fa", body)).Problem(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_415()
    {
        await (await Client.PostRaw("/login/2fa", "code=123456", "application/x-www-form-urlencoded")).Problem(HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task A_session_presented_to_the_code_step_is_revoked_as_on_login()
    {
        var (secret, _) = await TotpAccount("wim");
        var other = await Client.RegisterAndLogin("wimsother");
        var pending = await Client.LoginPending("wim");

        var response = await Client.LoginSecondFactor($"{pending}; {other}", TwoFactorApi.CodeAt(secret, Clock));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await (await Client.Get("/protected", other)).Problem(HttpStatusCode.Unauthorized);
    }
}
