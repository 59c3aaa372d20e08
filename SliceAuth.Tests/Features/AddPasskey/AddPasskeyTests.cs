using System.Net;
using SliceAuth.Tests.Infrastructure;

namespace SliceAuth.Tests.Features.AddPasskey;

/// <summary>POST /me/passkeys: a verified attestation is stored (201); every refusal a 400 problem with nothing stored.</summary>
public sealed class AddPasskeyTests : AppTest
{
    private readonly SoftwareAuthenticator _passkey = new();

    private async Task<HttpResponseMessage> Add(string cookie, string name = "laptop") =>
        await Client.AddPasskey(cookie, _passkey.Create(await Client.RegistrationOptions(cookie)), name);

    private async Task<string> Refused(HttpResponseMessage response, string cookie, int addedBefore = 0)
    {
        var problem = await response.Problem(HttpStatusCode.BadRequest);
        Assert.Empty(await Client.Passkeys(cookie));
        Assert.Equal(addedBefore, App.Logs.Entries.Count(e => e.EventName == "passkey.added"));
        return problem.TryGetProperty("detail", out var detail) ? detail.GetString()! : "";
    }

    [Fact]
    public async Task A_verified_passkey_is_stored_and_answered_without_key_material()
    {
        var cookie = await Client.RegisterAndLogin("adder");

        var response = await Add(cookie, "  my laptop  ");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Json();
        Assert.Equal(["createdAt", "id", "lastUsedAt", "name"], body.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal("my laptop", body.GetProperty("name").GetString());
        Assert.Equal(body.GetProperty("id").GetString(), Assert.Single(await Client.Passkeys(cookie)).GetProperty("id").GetString());
        Assert.Contains(App.Logs.Entries, e => e.EventName == "passkey.added" && e.AllText.Contains("adder"));
    }

    [Fact]
    public async Task An_answer_from_another_origin_is_refused()
    {
        var cookie = await Client.RegisterAndLogin("origin");
        _passkey.Origin = "https://localhost:5000";

        Assert.Contains("origin", await Refused(await Add(cookie), cookie));
    }

    [Fact]
    public async Task An_answer_for_another_relying_party_is_refused()
    {
        var cookie = await Client.RegisterAndLogin("rpid");
        _passkey.RpId = "example.com";

        Assert.Contains("RP ID", await Refused(await Add(cookie), cookie));
    }

    [Fact]
    public async Task A_replayed_answer_is_refused_its_challenge_was_used()
    {
        var cookie = await Client.RegisterAndLogin("replay");
        var answer = _passkey.Create(await Client.RegistrationOptions(cookie));
        Assert.Equal(HttpStatusCode.Created, (await Client.AddPasskey(cookie, answer)).StatusCode);

        var problem = await (await Client.AddPasskey(cookie, answer, "again")).Problem(HttpStatusCode.BadRequest);

        Assert.Contains("challenge", problem.GetProperty("detail").GetString());
        Assert.Single(await Client.Passkeys(cookie));
    }

    [Fact]
    public async Task A_challenge_older_than_five_minutes_is_refused()
    {
        var cookie = await Client.RegisterAndLogin("slow");
        var options = await Client.RegistrationOptions(cookie);
        App.Clock.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));

        Assert.Contains("expired", await Refused(await Client.AddPasskey(cookie, _passkey.Create(options)), cookie));
    }

    [Fact]
    public async Task A_login_challenge_cannot_complete_a_registration()
    {
        var cookie = await Client.RegisterAndLogin("ceremony");
        var options = await Client.RegistrationOptions(cookie);
        // The registration options as they were, but with a login ceremony's challenge.
        var login = await Client.LoginOptions();
        var mixed = System.Text.Json.JsonSerializer.SerializeToElement(options.EnumerateObject()
            .ToDictionary(p => p.Name, p => p.Name == "challenge" ? login.GetProperty("challenge") : p.Value));

        Assert.Contains("challenge", await Refused(await Client.AddPasskey(cookie, _passkey.Create(mixed)), cookie));
    }

    [Fact]
    public async Task Another_accounts_challenge_is_refused()
    {
        var mine = await Client.RegisterAndLogin("mine");
        var theirs = await Client.RegisterAndLogin("theirs");
        var answer = _passkey.Create(await Client.RegistrationOptions(theirs));

        Assert.Contains("challenge", await Refused(await Client.AddPasskey(mine, answer), mine));
        Assert.Empty(await Client.Passkeys(theirs));
    }

    [Fact]
    public async Task A_credential_id_registered_to_one_account_cannot_be_registered_again()
    {
        var first = await Client.RegisterAndLogin("first");
        Assert.Equal(HttpStatusCode.Created, (await Add(first)).StatusCode);
        var second = await Client.RegisterAndLogin("second");
        using var copy = new SoftwareAuthenticator { CredentialId = _passkey.CredentialId };

        var response = await Client.AddPasskey(second, copy.Create(await Client.RegistrationOptions(second)));

        Assert.Contains("registered already", await Refused(response, second, addedBefore: 1));
        Assert.Single(await Client.Passkeys(first));
    }

    [Fact]
    public async Task An_answer_without_user_verification_is_refused()
    {
        var cookie = await Client.RegisterAndLogin("unverified");
        _passkey.VerifiesUser = false;

        Assert.Contains("verif", await Refused(await Add(cookie), cookie));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("tab\there")]
    [InlineData("12345678901234567890123456789012345678901234567890123456789012345")] // 65
    public async Task A_bad_name_is_a_400_and_nothing_is_stored(string name)
    {
        var cookie = await Client.RegisterAndLogin("namer");

        var problem = await Refused(await Add(cookie, name), cookie);

        Assert.NotNull(problem);
    }

    [Theory]
    [InlineData("{\"name\":\"x\",\"credential\":")]
    [InlineData("{\"name\":\"x\"}")]
    [InlineData("{\"name\":\"x\",\"credential\":{\"id\":\"AA\",\"rawId\":\"AA\",\"type\":\"public-key\",\"response\":{\"clientDataJSON\":\"*\",\"attestationObject\":\"AA\"}}}")]
    public async Task Malformed_input_is_a_400_problem(string body)
    {
        var cookie = await Client.RegisterAndLogin("malformed");
        var request = new HttpRequestMessage(HttpMethod.Post, "/me/passkeys") { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };

        await Refused(await Client.SendAsync(request.WithCookie(cookie)), cookie);
    }

    [Fact]
    public async Task Well_formed_garbage_is_a_400_problem_never_a_500()
    {
        var cookie = await Client.RegisterAndLogin("garbage");
        var options = await Client.RegistrationOptions(cookie);
        var clientData = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(
            $"{{\"type\":\"webauthn.create\",\"challenge\":\"{options.GetProperty("challenge").GetString()}\",\"origin\":\"http://localhost:5000\"}}"))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var junk = new { id = "AAAA", rawId = "AAAA", type = "public-key", response = new { clientDataJSON = clientData, attestationObject = "oWNmbXRkbm9uZQ" } };

        await Refused(await Client.AddPasskey(cookie, junk), cookie);
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_415()
    {
        var cookie = await Client.RegisterAndLogin("plain");
        var request = new HttpRequestMessage(HttpMethod.Post, "/me/passkeys") { Content = new StringContent("{}", System.Text.Encoding.UTF8, "text/plain") };

        await (await Client.SendAsync(request.WithCookie(cookie))).Problem(HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task Without_a_session_gets_401()
    {
        await (await Client.Send(HttpMethod.Post, "/me/passkeys/options")).Problem(HttpStatusCode.Unauthorized);
        await (await Client.Send(HttpMethod.Post, "/me/passkeys", json: new { name = "x", credential = new { } })).Problem(HttpStatusCode.Unauthorized);
    }

    protected override void DisposeMore() => _passkey.Dispose();
}
