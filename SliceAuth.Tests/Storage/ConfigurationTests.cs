using SliceAuth.Tests.Infrastructure;

namespace SliceAuth.Tests.Storage;

/// <summary>A wrong setting stops the start with a message naming its key.</summary>
public sealed class ConfigurationTests
{
    [Theory]
    [InlineData("Auth:BcryptWorkFactor", "3")]
    [InlineData("Auth:BcryptWorkFactor", "32")]
    [InlineData("Auth:IdleTimeout", "-00:01:00")]
    [InlineData("Auth:AbsoluteTimeout", "00:00:00")]
    [InlineData("Auth:Pepper", "too-short")]
    [InlineData("Auth:CookieName", "bad name;")]
    public void An_invalid_option_stops_the_start_naming_the_key(string key, string value)
    {
        using var app = new SliceAuthApp(settings: new Dictionary<string, string?> { [key] = value });

        var error = Assert.ThrowsAny<Exception>(() => app.Client());

        Assert.Contains(key, error.Message);
        if (key == "Auth:Pepper") Assert.DoesNotContain(value, error.Message); // a secret is never echoed
    }
}
