using SliceAuth.Tests.Infrastructure;

namespace SliceAuth.Tests.Features.ForwardAuth;

/// <summary>A wrong ForwardAuth setting refuses the start in one line naming the key.</summary>
public sealed class ForwardAuthOptionsTests : IDisposable
{
    private readonly string _dir = TempDirectory.Create();

    [Theory]
    [InlineData("ForwardAuth:UserIdHeader", "X Auth User")] // a space: not a header name
    [InlineData("ForwardAuth:UsernameHeader", "X-Auth-Usér")]
    [InlineData("ForwardAuth:UsernameHeader", "X-Auth-User-Id")] // the same as UserIdHeader
    [InlineData("ForwardAuth:UserIdHeader", "X-Auth:Id")]
    [InlineData("ForwardAuth:LoginUrl", "/login")] // not absolute
    [InlineData("ForwardAuth:LoginUrl", "javascript:alert(1)")]
    [InlineData("ForwardAuth:LoginUrl", "https://app.example.com/login#top")]
    [InlineData("ForwardAuth:ReturnHosts:0", "https://app.example.com")]
    [InlineData("ForwardAuth:LoginUlr", "https://app.example.com/login")] // a misspelt key
    public async Task An_invalid_forward_auth_option_stops_the_start_naming_the_key(string key, string value)
    {
        using var app = AppProcess.Start(_dir, new Dictionary<string, string> { [key.Replace(":", "__")] = value });

        await app.AssertRefusedInOneLine(key);
    }

    public void Dispose() => TempDirectory.Delete(_dir);
}
