using SliceAuth.Tests.Infrastructure;

namespace SliceAuth.Tests.Passkeys;

/// <summary>A wrong Passkeys setting refuses the start in one line naming the key.</summary>
public sealed class PasskeyOptionsTests : IDisposable
{
    private readonly string _dir = TempDirectory.Create();

    [Theory]
    [InlineData("Passkeys:RelyingPartyId", "https://example.com")] // a URL, not a host
    [InlineData("Passkeys:RelyingPartyName", " ")]
    [InlineData("Passkeys:Origins:0", "http://localhost:5000/account")] // a path
    [InlineData("Passkeys:Origins:1", "https://evil.example")] // not on the RP ID
    public async Task An_invalid_passkey_option_stops_the_start_naming_the_key(string key, string value)
    {
        using var app = AppProcess.Start(_dir, new Dictionary<string, string> { [key.Replace(":", "__")] = value });

        await app.AssertRefusedInOneLine(key);
    }

    public void Dispose() => TempDirectory.Delete(_dir);
}
