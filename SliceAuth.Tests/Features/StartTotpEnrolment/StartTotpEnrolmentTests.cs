using System.Net;
using System.Xml.Linq;
using SliceAuth.Tests.Infrastructure;

namespace SliceAuth.Tests.Features.StartTotpEnrolment;

public sealed class StartTotpEnrolmentTests : AppTest
{
    [Fact]
    public async Task Answers_a_base32_secret_its_otpauth_uri_and_an_svg_qr_code_and_enables_nothing_yet()
    {
        var cookie = await Client.RegisterAndLogin("Anna");

        var response = await Client.StartEnrolment(cookie);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Json();
        var secret = body.GetProperty("secret").GetString()!;
        Assert.Equal(32, secret.Length); // 20 bytes
        Assert.All(secret, c => Assert.Contains(c, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"));
        Assert.Equal($"otpauth://totp/SliceAuth:Anna?secret={secret}&issuer=SliceAuth&algorithm=SHA1&digits=6&period=30",
            body.GetProperty("otpauthUri").GetString());
        Assert.Equal("svg", XDocument.Parse(body.GetProperty("qrCodeSvg").GetString()!).Root!.Name.LocalName);
        // Not on until a code confirms it: the password alone still logs in, /me says off.
        Assert.False((await (await Client.Get("/me", cookie)).Json()).GetProperty("twoFactorEnabled").GetBoolean());
        var login = await Client.Login("Anna");
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.Equal("Anna", (await login.Json()).GetProperty("username").GetString());
    }

    [Fact]
    public async Task The_issuer_comes_from_Auth_TotpIssuer()
    {
        using var app = new SliceAuthApp(settings: new Dictionary<string, string?> { ["Auth:TotpIssuer"] = "Example Corp" });
        var client = app.Client();
        var cookie = await client.RegisterAndLogin("bert");

        var uri = (await (await client.StartEnrolment(cookie)).Json()).GetProperty("otpauthUri").GetString()!;

        Assert.StartsWith("otpauth://totp/Example%20Corp:bert?", uri);
        Assert.EndsWith("&issuer=Example%20Corp&algorithm=SHA1&digits=6&period=30", uri);
    }

    [Fact]
    public async Task A_new_enrolment_replaces_an_unconfirmed_secret()
    {
        var cookie = await Client.RegisterAndLogin("carla");
        var first = (await (await Client.StartEnrolment(cookie)).Json()).GetProperty("secret").GetString()!;
        var second = (await (await Client.StartEnrolment(cookie)).Json()).GetProperty("secret").GetString()!;

        Assert.NotEqual(first, second);
        await (await Client.ConfirmTotp(cookie, TwoFactorApi.CodeAt(first, App.Clock))).Problem(HttpStatusCode.BadRequest);
        Assert.Equal(HttpStatusCode.OK, (await Client.ConfirmTotp(cookie, TwoFactorApi.CodeAt(second, App.Clock))).StatusCode);
    }

    [Fact]
    public async Task A_wrong_password_is_400_on_password_and_counts_towards_the_login_throttle()
    {
        var cookie = await Client.RegisterAndLogin("dora");

        var problem = await (await Client.StartEnrolment(cookie, "not my password")).Problem(HttpStatusCode.BadRequest);

        Assert.NotEmpty(problem.FieldErrors("password"));
        for (var i = 0; i < 9; i++) await Client.StartEnrolment(cookie, "guess " + i);
        await (await Client.StartEnrolment(cookie)).Problem(HttpStatusCode.TooManyRequests);
    }

    [Fact]
    public async Task When_TOTP_is_on_already_is_409()
    {
        var cookie = await Client.RegisterAndLogin("emil");
        await Client.EnableTotp(cookie, App.Clock);

        await (await Client.StartEnrolment(cookie)).Problem(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Without_a_session_is_401()
    {
        await (await Client.Send(HttpMethod.Post, "/me/2fa/totp", json: new { password = Api.Password })).Problem(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Bad_input_is_a_400_or_415_problem()
    {
        var cookie = await Client.RegisterAndLogin("fritz");

        await (await Client.Send(HttpMethod.Post, "/me/2fa/totp", cookie, new { password = "" })).Problem(HttpStatusCode.BadRequest);
        var raw = new HttpRequestMessage(HttpMethod.Post, "/me/2fa/totp") { Content = new StringContent("password=x") }.WithCookie(cookie);
        await (await Client.SendAsync(raw)).Problem(HttpStatusCode.UnsupportedMediaType);
        var broken = new HttpRequestMessage(HttpMethod.Post, "/me/2fa/totp")
        {
            Content = new StringContent("{\"password\":", System.Text.Encoding.UTF8, "application/json"),
        }.WithCookie(cookie);
        await (await Client.SendAsync(broken)).Problem(HttpStatusCode.BadRequest);
    }
}
