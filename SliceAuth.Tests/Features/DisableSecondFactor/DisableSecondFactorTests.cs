using System.Net;
using SliceAuth.Tests.Infrastructure;

namespace SliceAuth.Tests.Features.DisableSecondFactor;

public sealed class DisableSecondFactorTests() : MailTest(MailTransport.PickupDirectory)
{
    [Fact]
    public async Task Turning_TOTP_off_brings_back_the_password_only_login_ends_other_sessions_and_tells_the_address()
    {
        var mine = await Client.RegisterAndLoginAt("tom", "tom@example.com");
        var (secret, _) = await Client.EnableTotp(mine, App.Clock);
        await Mail.NextAsync("tom@example.com"); // verification
        Assert.Contains("turned on", (await Mail.NextAsync("tom@example.com")).Subject);
        App.Clock.NextStep();
        var other = (await Client.LoginSecondFactor(await Client.LoginPending("tom"), TwoFactorApi.CodeAt(secret, App.Clock))).SessionCookie();
        App.Clock.NextStep();

        var response = await Client.DisableTotp(mine, TwoFactorApi.CodeAt(secret, App.Clock));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Client.Get("/protected", mine)).StatusCode);
        await (await Client.Get("/protected", other)).Problem(HttpStatusCode.Unauthorized);
        var me = await (await Client.Get("/me", mine)).Json();
        Assert.False(me.GetProperty("twoFactorEnabled").GetBoolean());
        Assert.Equal(0, me.GetProperty("recoveryCodesLeft").GetInt32());
        var login = await Client.Login("tom");
        Assert.Equal("tom", (await login.Json()).GetProperty("username").GetString());
        Assert.Equal(HttpStatusCode.OK, (await Client.Get("/protected", login.SessionCookie())).StatusCode);
        Assert.Contains("turned off", (await Mail.NextAsync("tom@example.com")).Subject);
        Assert.Contains(App.Logs.Entries, e => e.EventName == "2fa.disabled");
    }

    [Fact]
    public async Task A_recovery_code_turns_it_off_for_someone_who_lost_the_phone()
    {
        var cookie = await Client.RegisterAndLogin("ulla");
        var (_, codes) = await Client.EnableTotp(cookie, App.Clock);

        Assert.Equal(HttpStatusCode.NoContent, (await Client.DisableTotp(cookie, codes[9])).StatusCode);

        // Off, so the codes are gone with it: a new enrolment can start.
        Assert.Equal(HttpStatusCode.OK, (await Client.StartEnrolment(cookie)).StatusCode);
    }

    [Fact]
    public async Task A_wrong_code_is_400_and_TOTP_stays_on()
    {
        var cookie = await Client.RegisterAndLogin("vico");
        var (secret, _) = await Client.EnableTotp(cookie, App.Clock);
        App.Clock.NextStep();
        var right = TwoFactorApi.CodeAt(secret, App.Clock);

        Assert.NotEmpty((await (await Client.DisableTotp(cookie, ((int.Parse(right) + 3) % 1_000_000).ToString("D6")))
            .Problem(HttpStatusCode.BadRequest)).FieldErrors("code"));

        Assert.True((await (await Client.Get("/me", cookie)).Json()).GetProperty("twoFactorEnabled").GetBoolean());
        Assert.True((await (await Client.Login("vico")).Json()).GetProperty("twoFactorRequired").GetBoolean());
    }

    [Fact]
    public async Task Wrong_codes_here_count_towards_the_code_throttle_of_the_login()
    {
        var cookie = await Client.RegisterAndLogin("wanda");
        var (secret, _) = await Client.EnableTotp(cookie, App.Clock);
        App.Clock.NextStep();
        var right = TwoFactorApi.CodeAt(secret, App.Clock);
        var wrong = ((int.Parse(right) + 11) % 1_000_000).ToString("D6");
        for (var i = 0; i < 10; i++) await (await Client.DisableTotp(cookie, wrong)).Problem(HttpStatusCode.BadRequest);

        await (await Client.DisableTotp(cookie, right)).Problem(HttpStatusCode.TooManyRequests);
        await (await Client.LoginSecondFactor(await Client.LoginPending("wanda"), right)).Problem(HttpStatusCode.TooManyRequests);
    }

    [Fact]
    public async Task When_TOTP_is_off_is_409_and_bad_input_is_400()
    {
        var cookie = await Client.RegisterAndLogin("xaver");

        await (await Client.DisableTotp(cookie, "123456")).Problem(HttpStatusCode.Conflict);
        await (await Client.Send(HttpMethod.Delete, "/me/2fa", cookie, new { password = Api.Password })).Problem(HttpStatusCode.BadRequest);
        await (await Client.Send(HttpMethod.Delete, "/me/2fa", json: new { password = Api.Password, code = "123456" })).Problem(HttpStatusCode.Unauthorized);
    }
}
