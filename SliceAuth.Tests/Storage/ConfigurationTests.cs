using SliceAuth.Tests.Infrastructure;

namespace SliceAuth.Tests.Storage;

/// <summary>
/// What an operator sees when the service cannot start: exit code 1 and one line naming the setting or the
/// file, no stack trace; and nothing in the data directory changed. Run as real processes, as operators do.
/// </summary>
public sealed class ConfigurationTests : IDisposable
{
    private readonly string _dir = TempDirectory.Create();

    [Theory]
    [InlineData("Auth:BcryptWorkFactor", "3")]
    [InlineData("Auth:BcryptWorkFactor", "32")]
    [InlineData("Auth:IdleTimeout", "-00:01:00")]
    [InlineData("Auth:AbsoluteTimeout", "00:00:00")]
    [InlineData("Auth:Pepper", "too-short")]
    [InlineData("Auth:CookieName", "bad name;")]
    [InlineData("RateLimiting:Login:PermitLimit", "0")]
    [InlineData("Logging:Format", "xml")]
    public async Task An_invalid_option_stops_the_start_naming_the_key(string key, string value)
    {
        using var app = AppProcess.Start(_dir, new Dictionary<string, string> { [key.Replace(":", "__")] = value });

        Assert.Equal(1, await app.WaitForExit(TimeSpan.FromSeconds(30)));
        var line = Assert.Single(app.Output, l => l.StartsWith("SliceAuth cannot start:"));
        Assert.Contains(key.Split(':')[0], line);
        if (key == "Auth:Pepper") Assert.DoesNotContain(app.Output, l => l.Contains(value)); // a secret is never echoed
        Assert.DoesNotContain(app.Output, l => l.TrimStart().StartsWith("at "));
    }

    [Fact]
    public async Task A_damaged_database_stops_the_start_naming_the_file_and_leaves_it_untouched()
    {
        using (var first = AppProcess.Start(_dir))
        {
            await first.WaitUntilReady();
            await first.Client().RegisterAndLogin("before-damage");
        }
        var file = Path.Combine(_dir, SliceAuth.Data.AppDatabase.FileName);
        var bytes = File.ReadAllBytes(file);
        Array.Fill(bytes, (byte)0xA5, 0, 128); // the header page
        File.WriteAllBytes(file, bytes);

        using var second = AppProcess.Start(_dir);

        Assert.Equal(1, await second.WaitForExit(TimeSpan.FromSeconds(30)));
        Assert.Contains(second.Output, l => l.StartsWith("SliceAuth cannot start:") && l.Contains(file) && l.Contains("damaged"));
        Assert.Equal(bytes, File.ReadAllBytes(file));
    }

    public void Dispose() => TempDirectory.Delete(_dir);
}
