using SliceAuth.Tests.Infrastructure;

namespace SliceAuth.Tests.Features.PasskeyLoginOptions;

public sealed class PasskeyLoginOptionsTests : AppTest
{
    [Fact]
    public async Task Anyone_gets_a_fresh_challenge_naming_no_credential_and_requiring_user_verification()
    {
        var options = await Client.LoginOptions();

        Assert.Equal("localhost", options.GetProperty("rpId").GetString());
        Assert.Equal("required", options.GetProperty("userVerification").GetString());
        Assert.True(!options.TryGetProperty("allowCredentials", out var allow) || allow.GetArrayLength() == 0);
        Assert.True(options.GetProperty("challenge").GetString()!.Length >= 22); // at least 16 random bytes
        Assert.NotEqual(options.GetProperty("challenge").GetString(), (await Client.LoginOptions()).GetProperty("challenge").GetString());
    }
}
