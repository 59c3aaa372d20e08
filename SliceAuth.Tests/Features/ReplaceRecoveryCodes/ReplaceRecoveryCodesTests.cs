using System.Net;
using SliceAuth.Tests.Infrastructure;

namespace SliceAuth.Tests.Features.ReplaceRecoveryCodes;

public sealed class ReplaceRecoveryCodesTests() : MailTest(MailTransport.PickupDirectory)
{
    private static string[] Codes(System.Text.Json.JsonElement body) =>
        body.GetProperty("recoveryCodes").EnumerateArray().Select(c => c.GetString()!).ToArray();

    [Fact]
    public async Task New_codes_work_the_old_ones_die_other_sessions_end_and_the_address_is_told()
    {
        var mine = await Client.RegisterAndLoginAt("nora", "nora@example.com");
        var (secret, old) = await Client.EnableTotp(mine, App.Clock);
        await Mail.NextAsync("nora@example.com"); // verification
        await Mail.NextAsync("nora@example.com"); // TOTP on
        App.Clock.NextStep();
        var other = (await Client.LoginSecondFactor(await Client.LoginPending("nora"), TwoFactorApi.CodeAt(secret, App.Clock))).SessionCookie();
        App.Clock.NextStep();

        var response = await Client.ReplaceRecoveryCodes(mine, TwoFactorApi.CodeAt(secret, App.Clock));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var fresh = Codes(await response.Json());
        Assert.Equal(10, fresh.Length);
        Assert.Empty(fresh.Intersect(old));
        Assert.Equal(HttpStatusCode.OK, (await Client.Get("/protected", mine)).StatusCode);
        await (await Client.Get("/protected", other)).Problem(HttpStatusCode.Unauthorized);
        await (await Client.LoginSecondFactor(await Client.LoginPending("nora"), recoveryCode: old[0])).Problem(HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.OK, (await Client.LoginSecondFactor(await Client.LoginPending("nora"), recoveryCode: fresh[0])).StatusCode);
        Assert.Contains("recovery codes", (await Mail.NextAsync("nora@example.com")).Text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_recovery_code_can_stand_in_for_the_app_and_is_then_used_up()
    {
        var cookie = await Client.RegisterAndLogin("otto");
        var (_, old) = await Client.EnableTotp(cookie, App.Clock);

        var response = await Client.ReplaceRecoveryCodes(cookie, old[0]);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(10, (await (await Client.Get("/me", cookie)).Json()).GetProperty("recoveryCodesLeft").GetInt32());
    }

    [Fact]
    public async Task A_wrong_code_or_password_is_400_on_its_field_and_changes_nothing()
    {
        var cookie = await Client.RegisterAndLogin("pia");
        var (secret, old) = await Client.EnableTotp(cookie, App.Clock);
        App.Clock.NextStep();
        var right = TwoFactorApi.CodeAt(secret, App.Clock);

        Assert.NotEmpty((await (await Client.ReplaceRecoveryCodes(cookie, ((int.Parse(right) + 7) % 1_000_000).ToString("D6")))
            .Problem(HttpStatusCode.BadRequest)).FieldErrors("code"));
        Assert.NotEmpty((await (await Client.ReplaceRecoveryCodes(cookie, "AAAA-BBBB-CCCC-DDDD")).Problem(HttpStatusCode.BadRequest)).FieldErrors("code"));
        Assert.NotEmpty((await (await Client.ReplaceRecoveryCodes(cookie, right, "not my password")).Problem(HttpStatusCode.BadRequest))
            .FieldErrors("password"));

        Assert.Equal(HttpStatusCode.OK, (await Client.LoginSecondFactor(await Client.LoginPending("pia"), recoveryCode: old[0])).StatusCode);
    }

    [Fact]
    public async Task When_TOTP_is_off_is_409()
    {
        var cookie = await Client.RegisterAndLogin("ralf");

        await (await Client.ReplaceRecoveryCodes(cookie, "123456")).Problem(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Bad_input_is_a_400_or_415_problem_and_no_session_is_401()
    {
        var cookie = await Client.RegisterAndLogin("sara");

        await (await Client.Send(HttpMethod.Post, "/me/2fa/recovery-codes", cookie, new { password = "", code = "" })).Problem(HttpStatusCode.BadRequest);
        await (await Client.Send(HttpMethod.Post, "/me/2fa/recovery-codes", cookie, new { password = Api.Password, code = new string('A', 65) }))
            .Problem(HttpStatusCode.BadRequest);
        var raw = new HttpRequestMessage(HttpMethod.Post, "/me/2fa/recovery-codes") { Content = new StringContent("x") }.WithCookie(cookie);
        await (await Client.SendAsync(raw)).Problem(HttpStatusCode.UnsupportedMediaType);
        await (await Client.Send(HttpMethod.Post, "/me/2fa/recovery-codes", json: new { password = Api.Password, code = "123456" }))
            .Problem(HttpStatusCode.Unauthorized);
    }
}
