using System.Net;
using SliceAuth.Tests.Infrastructure;

namespace SliceAuth.Tests.Features.PasskeyLogin;

/// <summary>
/// POST /login/passkey: a complete login from a verified assertion; every refusal a 401 problem that starts no session
/// and leaves the passkey's use unrecorded.
/// </summary>
public sealed class PasskeyLoginTests : AppTest
{
    private readonly SoftwareAuthenticator _passkey = new();

    /// <summary>An account with a password session (returned) and <see cref="_passkey"/> registered to it.</summary>
    private async Task<string> AccountWithPasskey(string username)
    {
        var cookie = await Client.RegisterAndLogin(username);
        await Client.RegisterPasskey(cookie, _passkey);
        return cookie;
    }

    /// <summary>The refusal left nothing behind: the account has only its sessions from before, the passkey no recorded use.</summary>
    private async Task AssertNothingStored(string cookie, int sessionsBefore)
    {
        Assert.Equal(sessionsBefore, (await Client.Sessions(cookie)).Length);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, Assert.Single(await Client.Passkeys(cookie)).GetProperty("lastUsedAt").ValueKind);
        Assert.DoesNotContain(App.Logs.Entries, e => e.EventName == "passkey.login_succeeded");
    }

    [Fact]
    public async Task A_registered_passkey_logs_in_without_a_username_and_the_session_works()
    {
        var password = await AccountWithPasskey("paula");

        var login = await Client.PasskeyLogin(_passkey.Get(await Client.LoginOptions()));

        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.Equal("paula", (await login.Json()).GetProperty("username").GetString());
        var me = await Client.Get("/me", login.SessionCookie());
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        Assert.Equal("paula", (await me.Json()).GetProperty("username").GetString());
        Assert.Equal(2, (await Client.Sessions(password)).Length);
        Assert.NotNull(Assert.Single(await Client.Passkeys(password)).GetProperty("lastUsedAt").GetString());
        Assert.Contains(App.Logs.Entries, e => e.EventName == "passkey.login_succeeded" && e.AllText.Contains("paula"));
    }

    [Fact]
    public async Task A_session_presented_to_the_passkey_login_is_revoked_as_with_a_password_login()
    {
        var password = await AccountWithPasskey("presenter");
        var old = (await Client.Login("presenter")).SessionCookie();

        var login = await Client.PasskeyLogin(_passkey.Get(await Client.LoginOptions()), cookie: old);

        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.NotEqual(old, login.SessionCookie());
        await (await Client.Get("/me", old)).Problem(HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.OK, (await Client.Get("/me", login.SessionCookie())).StatusCode);
    }

    [Fact]
    public async Task For_a_TOTP_account_a_passkey_login_is_complete_while_the_password_still_needs_the_code()
    {
        var cookie = await Client.RegisterAndLogin("both");
        await Client.EnableTotp(cookie, App.Clock);
        await Client.RegisterPasskey(cookie, _passkey);
        Assert.Equal(HttpStatusCode.NoContent, (await Client.Logout(cookie)).StatusCode);

        var byPasskey = await Client.PasskeyLogin(_passkey.Get(await Client.LoginOptions()));
        Assert.Equal(HttpStatusCode.OK, byPasskey.StatusCode);
        Assert.Equal("both", (await byPasskey.Json()).GetProperty("username").GetString());
        Assert.Equal(HttpStatusCode.OK, (await Client.Get("/me", byPasskey.SessionCookie())).StatusCode);

        var byPassword = await Client.Login("both");
        Assert.True((await byPassword.Json()).GetProperty("twoFactorRequired").GetBoolean());
        await (await Client.Get("/protected", byPassword.PendingCookie())).Problem(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task An_assertion_from_another_origin_is_refused()
    {
        var cookie = await AccountWithPasskey("origin");
        _passkey.Origin = "http://evil.example";

        var problem = await (await Client.PasskeyLogin(_passkey.Get(await Client.LoginOptions()))).Problem(HttpStatusCode.Unauthorized);

        Assert.Contains("origin", problem.GetProperty("detail").GetString());
        await AssertNothingStored(cookie, 1);
    }

    [Fact]
    public async Task An_assertion_for_another_relying_party_is_refused()
    {
        var cookie = await AccountWithPasskey("rpid");
        _passkey.RpId = "evil.example";

        var problem = await (await Client.PasskeyLogin(_passkey.Get(await Client.LoginOptions()))).Problem(HttpStatusCode.Unauthorized);

        Assert.Contains("RP ID", problem.GetProperty("detail").GetString());
        await AssertNothingStored(cookie, 1);
    }

    [Fact]
    public async Task A_replayed_assertion_is_refused_its_challenge_was_used()
    {
        var cookie = await AccountWithPasskey("replay");
        var assertion = _passkey.Get(await Client.LoginOptions());
        Assert.Equal(HttpStatusCode.OK, (await Client.PasskeyLogin(assertion)).StatusCode);

        var problem = await (await Client.PasskeyLogin(assertion)).Problem(HttpStatusCode.Unauthorized);

        Assert.Contains("challenge", problem.GetProperty("detail").GetString());
        Assert.Equal(2, (await Client.Sessions(cookie)).Length); // the password one and the first passkey one
    }

    [Fact]
    public async Task A_challenge_older_than_five_minutes_is_refused()
    {
        var cookie = await AccountWithPasskey("slow");
        var options = await Client.LoginOptions();
        App.Clock.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));

        var problem = await (await Client.PasskeyLogin(_passkey.Get(options))).Problem(HttpStatusCode.Unauthorized);

        Assert.Contains("expired", problem.GetProperty("detail").GetString());
        await AssertNothingStored(cookie, 1);
    }

    [Fact]
    public async Task A_registration_challenge_cannot_complete_a_login()
    {
        var cookie = await AccountWithPasskey("ceremony");
        var registration = await Client.RegistrationOptions(cookie);

        var problem = await (await Client.PasskeyLogin(_passkey.Get(registration))).Problem(HttpStatusCode.Unauthorized);

        Assert.Contains("challenge", problem.GetProperty("detail").GetString());
        await AssertNothingStored(cookie, 1);
    }

    [Fact]
    public async Task A_counter_that_goes_backwards_is_refused_and_audited_as_a_cloned_authenticator()
    {
        var cookie = await AccountWithPasskey("cloned");
        Assert.Equal(HttpStatusCode.OK, (await Client.PasskeyLogin(_passkey.Get(await Client.LoginOptions()))).StatusCode);
        _passkey.Counter = 0; // the clone signs with the count the original had before its last use

        var problem = await (await Client.PasskeyLogin(_passkey.Get(await Client.LoginOptions()))).Problem(HttpStatusCode.Unauthorized);

        Assert.Contains("counter", problem.GetProperty("detail").GetString());
        Assert.Equal(2, (await Client.Sessions(cookie)).Length);
        Assert.Contains(App.Logs.Entries, e => e.EventName == "passkey.clone_suspected" && e.Message.Contains("Cloned authenticator"));
    }

    [Fact]
    public async Task Another_accounts_user_handle_with_this_credential_is_refused()
    {
        var cookie = await AccountWithPasskey("owner");
        var other = await Client.RegisterAndLogin("other");
        using var othersPasskey = new SoftwareAuthenticator();
        await Client.RegisterPasskey(other, othersPasskey);
        _passkey.UserHandle = othersPasskey.UserHandle; // owner's credential, claiming to be other's

        await (await Client.PasskeyLogin(_passkey.Get(await Client.LoginOptions()))).Problem(HttpStatusCode.Unauthorized);

        await AssertNothingStored(cookie, 1);
        Assert.Single(await Client.Sessions(other));
    }

    [Fact]
    public async Task An_assertion_without_user_verification_is_refused()
    {
        var cookie = await AccountWithPasskey("unverified");
        _passkey.VerifiesUser = false;

        var problem = await (await Client.PasskeyLogin(_passkey.Get(await Client.LoginOptions()))).Problem(HttpStatusCode.Unauthorized);

        Assert.Contains("verif", problem.GetProperty("detail").GetString());
        await AssertNothingStored(cookie, 1);
    }

    [Fact]
    public async Task A_passkey_no_account_has_is_refused()
    {
        using var stranger = new SoftwareAuthenticator { UserHandle = Guid.NewGuid().ToByteArray() };

        await (await Client.PasskeyLogin(stranger.Get(await Client.LoginOptions()))).Problem(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Twenty_concurrent_logins_with_one_assertion_start_one_session()
    {
        var cookie = await AccountWithPasskey("racer");
        var assertion = _passkey.Get(await Client.LoginOptions());

        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Client.PasskeyLogin(assertion)));

        Assert.Single(answers, a => a.StatusCode == HttpStatusCode.OK);
        Assert.All(answers.Where(a => a.StatusCode != HttpStatusCode.OK), a => Assert.Equal(HttpStatusCode.Unauthorized, a.StatusCode));
        Assert.Equal(2, (await Client.Sessions(cookie)).Length);
    }

    [Theory]
    [InlineData("{\"credential\":")] // malformed JSON
    [InlineData("{}")]
    [InlineData("{\"credential\":{\"id\":\"a\",\"rawId\":\"a\",\"type\":\"password\",\"response\":{}}}")]
    [InlineData("{\"credential\":{\"id\":\"!!\",\"rawId\":\"@@\",\"type\":\"public-key\",\"response\":{\"clientDataJSON\":\"+/=\",\"authenticatorData\":\"x\",\"signature\":\"x\"}}}")]
    [InlineData("{\"credential\":{\"id\":\"AA\",\"rawId\":\"AA\",\"type\":\"public-key\",\"response\":null}}")]
    [InlineData("{\"credential\":[]}")]
    public async Task Malformed_input_is_a_400_problem(string body)
    {
        await (await Client.PostRaw("/login/passkey", body)).Problem(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_bad_field_is_named_as_the_browser_spells_it()
    {
        var body = "{\"credential\":{\"id\":\"!\",\"rawId\":\"AA\",\"type\":\"public-key\",\"response\":" +
            "{\"clientDataJSON\":\"*\",\"authenticatorData\":\"*\",\"signature\":\"\",\"userHandle\":\"*\"}}}";

        var errors = (await (await Client.PostRaw("/login/passkey", body)).Problem(HttpStatusCode.BadRequest)).GetProperty("errors");

        Assert.Equal(["credential.id", "credential.response.authenticatorData", "credential.response.clientDataJSON", "credential.response.signature",
            "credential.response.userHandle"], errors.EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Well_formed_garbage_is_a_401_problem_never_a_500()
    {
        var junk = new { credential = new { id = "AAAA", rawId = "AAAA", type = "public-key",
            response = new { clientDataJSON = "e30", authenticatorData = "AAAA", signature = "AAAA", userHandle = "AAAA" } } };

        await (await Client.Send(HttpMethod.Post, "/login/passkey", json: junk)).Problem(HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("text/plain")]
    public async Task A_body_that_is_not_json_is_415(string? contentType)
    {
        await (await Client.PostRaw("/login/passkey", "{\"credential\":{}}", contentType)).Problem(HttpStatusCode.UnsupportedMediaType);
    }

    protected override void DisposeMore() => _passkey.Dispose();
}
