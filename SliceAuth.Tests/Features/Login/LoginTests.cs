using System.Net;
using SliceAuth.Auth;
using SliceAuth.Tests.Infrastructure;

namespace SliceAuth.Tests.Features.Login;

public sealed class LoginTests : AppTest
{
    [Fact]
    public async Task Valid_credentials_get_200_with_the_username_and_a_session_cookie()
    {
        (await Client.Register("Carol")).EnsureSuccessStatusCode();

        var response = await Client.Login("  carol ");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Json();
        Assert.Equal("Carol", body.GetProperty("username").GetString()); // as registered
        Assert.False(body.GetProperty("twoFactorRequired").GetBoolean()); // no TOTP on this account: the session is here
        Assert.Equal(["twoFactorRequired", "username"], body.EnumerateObject().Select(p => p.Name).Order());
        var setCookie = response.SetCookieHeader().ToLowerInvariant();
        Assert.Contains("httponly", setCookie);
        Assert.Contains("samesite=lax", setCookie);
        Assert.Contains("path=/", setCookie);
        Assert.DoesNotContain("secure", setCookie); // plain HTTP here; see the HTTPS test
    }

    [Fact]
    public async Task Over_HTTPS_the_cookie_is_Secure_and_named_with_the_Host_prefix()
    {
        var client = App.CreateClient(new() { BaseAddress = new Uri("https://localhost"), HandleCookies = false });
        (await client.Register("secure1")).EnsureSuccessStatusCode();

        var response = await client.Login("secure1");

        var setCookie = response.SetCookieHeader();
        Assert.StartsWith("__Host-sliceauth=", setCookie);
        Assert.Contains("secure", setCookie.ToLowerInvariant());
        Assert.DoesNotContain("domain=", setCookie.ToLowerInvariant());
        Assert.Equal(HttpStatusCode.OK, (await client.Get("/protected", response.SessionCookie())).StatusCode);
    }

    [Fact]
    public async Task Wrong_password_and_unknown_user_get_the_same_401()
    {
        (await Client.Register("dave")).EnsureSuccessStatusCode();

        var wrongPassword = await (await Client.Login("dave", "not the password at all")).Problem(HttpStatusCode.Unauthorized);
        var unknownUser = await (await Client.Login("nobody-here")).Problem(HttpStatusCode.Unauthorized);

        Assert.Equal(wrongPassword.GetProperty("title").GetString(), unknownUser.GetProperty("title").GetString());
        Assert.Equal(
            wrongPassword.EnumerateObject().Select(p => p.Name).Order(),
            unknownUser.EnumerateObject().Select(p => p.Name).Order());
    }

    [Fact]
    public async Task Missing_fields_get_400_naming_each_field()
    {
        var problem = await (await Client.PostRaw("/login", "{}")).Problem(HttpStatusCode.BadRequest);

        Assert.NotEmpty(problem.FieldErrors("username"));
        Assert.NotEmpty(problem.FieldErrors("password"));
    }

    [Fact]
    public async Task Two_passwords_sharing_their_first_72_bytes_are_different_passwords()
    {
        var registered = new string('a', 72) + "X";
        (await Client.Register("long72", password: registered)).EnsureSuccessStatusCode();

        await (await Client.Login("long72", new string('a', 72) + "Y")).Problem(HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.OK, (await Client.Login("long72", registered)).StatusCode);
    }

    [Fact]
    public async Task Passwords_are_never_trimmed()
    {
        (await Client.Register("spaces", password: "  padded password  ")).EnsureSuccessStatusCode();

        await (await Client.Login("spaces", "padded password")).Problem(HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.OK, (await Client.Login("spaces", "  padded password  ")).StatusCode);
    }

    [Fact]
    public async Task Every_login_starts_a_new_session_and_revokes_the_one_presented()
    {
        var first = await Client.RegisterAndLogin("erin");

        var again = await Client.Login("erin", cookie: first);
        var second = again.SessionCookie();

        Assert.NotEqual(first, second);
        await (await Client.Get("/protected", first)).Problem(HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.OK, (await Client.Get("/protected", second)).StatusCode);
    }

    [Fact]
    public async Task A_failed_login_revokes_the_session_presented()
    {
        var cookie = await Client.RegisterAndLogin("frank");

        await (await Client.Login("frank", "wrong password here", cookie)).Problem(HttpStatusCode.Unauthorized);

        await (await Client.Get("/protected", cookie)).Problem(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Sessions_of_other_logins_stay_valid()
    {
        var laptop = await Client.RegisterAndLogin("grace");
        var phone = (await Client.Login("grace")).SessionCookie();

        Assert.Equal(HttpStatusCode.OK, (await Client.Get("/protected", laptop)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Client.Get("/protected", phone)).StatusCode);
    }

    [Fact]
    public async Task A_password_hashed_at_an_older_work_factor_is_upgraded_at_login()
    {
        var dir = TempDirectory.Create();
        try
        {
            using (var old = new SliceAuthApp(dir))
                (await old.Client().Register("upgrade")).EnsureSuccessStatusCode();

            using var raised = new SliceAuthApp(dir, new Dictionary<string, string?> { ["Auth:BcryptWorkFactor"] = "5" });
            var client = raised.Client();
            Assert.Equal(HttpStatusCode.OK, (await client.Login("upgrade")).StatusCode);

            var hash = (await raised.Service<SliceAuth.Data.IAccountStore>().FindByUsernameKeyAsync("upgrade"))!.PasswordHash;
            Assert.StartsWith("$2a$05$", hash.Replace("$2b$", "$2a$"));
            Assert.Equal(HttpStatusCode.OK, (await client.Login("upgrade")).StatusCode);
        }
        finally { TempDirectory.Delete(dir); }
    }
}
