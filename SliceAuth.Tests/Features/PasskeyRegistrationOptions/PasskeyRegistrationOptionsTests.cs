using System.Net;
using SliceAuth.Tests.Infrastructure;

namespace SliceAuth.Tests.Features.PasskeyRegistrationOptions;

public sealed class PasskeyRegistrationOptionsTests : AppTest
{
    [Fact]
    public async Task Asks_for_a_discoverable_user_verifying_ES256_passkey_for_this_account_and_excludes_its_passkeys()
    {
        var cookie = await Client.RegisterAndLogin("optioned");
        using var passkey = new SoftwareAuthenticator();
        await Client.RegisterPasskey(cookie, passkey);

        var options = await Client.RegistrationOptions(cookie);

        Assert.Equal("localhost", options.GetProperty("rp").GetProperty("id").GetString());
        Assert.Equal("SliceAuth", options.GetProperty("rp").GetProperty("name").GetString());
        Assert.Equal("optioned", options.GetProperty("user").GetProperty("name").GetString());
        Assert.Equal(Convert.ToBase64String(passkey.UserHandle!).TrimEnd('=').Replace('+', '-').Replace('/', '_'),
            options.GetProperty("user").GetProperty("id").GetString());
        Assert.Equal(-7, options.GetProperty("pubKeyCredParams")[0].GetProperty("alg").GetInt32());
        Assert.Equal("required", options.GetProperty("authenticatorSelection").GetProperty("residentKey").GetString());
        Assert.Equal("required", options.GetProperty("authenticatorSelection").GetProperty("userVerification").GetString());
        Assert.Equal("none", options.GetProperty("attestation").GetString());
        Assert.Single(options.GetProperty("excludeCredentials").EnumerateArray());
        Assert.NotEqual(options.GetProperty("challenge").GetString(), (await Client.RegistrationOptions(cookie)).GetProperty("challenge").GetString());
    }

    [Fact]
    public async Task Without_a_session_gets_401()
    {
        await (await Client.Send(HttpMethod.Post, "/me/passkeys/options")).Problem(HttpStatusCode.Unauthorized);
    }
}
