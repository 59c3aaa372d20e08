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
    [InlineData("Auth:BcryptWorkFactor", "twelve")]
    [InlineData("Auth:IdleTimeout", "30m")]
    [InlineData("Auth:IdleTimeout", "30")] // TimeSpan would read thirty days
    [InlineData("Auth:IdleTimeout", "13:00:00")] // longer than the 12 h absolute timeout
    [InlineData("Auth:IdleTimeout", "-00:01:00")]
    [InlineData("Auth:AbsoluteTimeout", "00:00:00")]
    [InlineData("Auth:AbsoluteTimeout", "401.00:00:00")]
    [InlineData("Auth:PurgeInterval", "00:00:00")]
    [InlineData("Auth:PurgeInterval", "2.00:00:00")]
    [InlineData("Auth:HashingMaxWait", "00:00:00")]
    [InlineData("Auth:HashingQueueLimit", "0")]
    [InlineData("Auth:LoginThrottle:MaxFailures", "0")]
    [InlineData("Auth:LoginThrottle:Window", "00:00:00")]
    [InlineData("Auth:LoginThrottle", "5")] // a section given a value
    [InlineData("Auth:Pepper", "too-short")]
    [InlineData("Auth:CookieName", "bad name;")]
    [InlineData("Auth:CookieName", "__Host-sliceauth")]
    [InlineData("Auth:IdelTimeout", "00:10:00")] // a misspelt key would otherwise leave the default in force
    [InlineData("Storage:VerifyOnStartMaxBytes", "-1")]
    [InlineData("Storage:VerifyOnStartMaxBytes", "64MB")]
    [InlineData("Storage:DataDirectory", " ")]
    [InlineData("Storage:Provider", "Mongo")] // refused, not silently LiteDB
    [InlineData("Sessions:Cache", "Sometimes")]
    [InlineData("RateLimiting:Enabled", "yes")]
    [InlineData("RateLimiting:Login:PermitLimit", "0")]
    [InlineData("RateLimiting:Login:PermitLimit", "abc")]
    [InlineData("RateLimiting:Login:Window", "00:00:00")]
    [InlineData("RateLimiting:Register:Window", "2.00:00:00")]
    [InlineData("Cors:AllowedOrigins:0", "app.example.com")] // no scheme: never matches an Origin header
    [InlineData("Cors:AllowedOrigins:0", "https://app.example.com/")]
    [InlineData("Cors:AllowedOrigins:0", "https://app.example.com/app")]
    [InlineData("Cors:AllowedOrigins:0", "ftp://app.example.com")]
    [InlineData("Cors:AllowedOrigins:0", "https://user@app.example.com")]
    [InlineData("Cors:AllowedOrigins:0", "*")]
    [InlineData("Cors:AllowedOrigins:0", "null")]
    [InlineData("Cors:AllowedOrigins", "https://a.example.com,https://b.example.com")]
    [InlineData("Logging:Format", "xml")]
    [InlineData("Logging:LogLevel:Default", "Verbose")]
    public async Task An_invalid_option_stops_the_start_naming_the_key(string key, string value)
    {
        using var app = AppProcess.Start(_dir, new Dictionary<string, string> { [key.Replace(":", "__")] = value });

        await app.AssertRefusedInOneLine(key);
        if (key == "Auth:Pepper") Assert.DoesNotContain(app.Output, l => l.Contains(value)); // a secret is never echoed
        Assert.Empty(Directory.EnumerateFileSystemEntries(_dir)); // refused before anything was opened or created
    }

    [Fact]
    public async Task Several_invalid_options_are_all_named_on_the_one_line()
    {
        using var app = AppProcess.Start(_dir, new Dictionary<string, string>
        {
            ["Auth__IdleTimeout"] = "30m",
            ["Storage__VerifyOnStartMaxBytes"] = "-1",
            ["RateLimiting__Register__PermitLimit"] = "0",
        });

        var line = await app.AssertRefusedInOneLine("Auth:IdleTimeout");
        Assert.Contains("Storage:VerifyOnStartMaxBytes", line);
        Assert.Contains("RateLimiting:Register:PermitLimit", line);
    }

    [Theory]
    [InlineData("https://app.example.com")]
    [InlineData("http://localhost:5173")]
    [InlineData("https://APP.example.com:8443")]
    public async Task An_origin_written_as_a_browser_sends_it_is_accepted(string origin)
    {
        using var app = AppProcess.Start(_dir, new Dictionary<string, string> { ["Cors__AllowedOrigins__0"] = origin });

        await app.WaitUntilReady();
    }

    [Trait("Storage", "LiteDb")]
    [Fact]
    public async Task A_different_pepper_on_existing_data_stops_the_start_and_the_old_one_still_works()
    {
        var pepperA = new Dictionary<string, string> { ["Auth__Pepper"] = new string('A', 40) };
        var pepperB = new Dictionary<string, string> { ["Auth__Pepper"] = new string('B', 40) };
        using (var first = AppProcess.Start(_dir, pepperA))
        {
            await first.WaitUntilReady();
            await first.Client().RegisterAndLogin("peppered");
            first.Terminate();
            Assert.Equal(0, await first.WaitForExit(TimeSpan.FromSeconds(20)));
        }

        using (var other = AppProcess.Start(_dir, pepperB))
        {
            var line = await other.AssertRefusedInOneLine("Auth:Pepper");
            Assert.Contains("Restore the previous pepper", line);
            Assert.Contains("start on empty storage", line);
            Assert.DoesNotContain(other.Output, l => l.Contains(pepperA["Auth__Pepper"]) || l.Contains(pepperB["Auth__Pepper"]));
        }

        using var again = AppProcess.Start(_dir, pepperA);
        await again.WaitUntilReady();
        Assert.Equal(System.Net.HttpStatusCode.OK, (await again.Client().Login("peppered")).StatusCode);
    }

    [Trait("Storage", "LiteDb")]
    [Fact]
    public async Task A_lost_pepper_file_stops_the_start_rather_than_being_regenerated()
    {
        using (var first = AppProcess.Start(_dir))
        {
            await first.WaitUntilReady();
            await first.Client().RegisterAndLogin("generated");
        }
        var pepper = Path.Combine(_dir, SliceAuth.Auth.Pepper.FileName);
        File.Delete(pepper);

        using var second = AppProcess.Start(_dir);

        await second.AssertRefusedInOneLine(pepper);
        Assert.False(File.Exists(pepper));
    }

    [Trait("Storage", "LiteDb")]
    [Fact]
    public async Task A_data_directory_without_a_fingerprint_records_one_at_its_first_start()
    {
        var pepperA = new Dictionary<string, string> { ["Auth__Pepper"] = new string('A', 40) };
        using (var first = AppProcess.Start(_dir, pepperA))
        {
            await first.WaitUntilReady();
            await first.Client().RegisterAndLogin("legacy");
        }
        // As a data directory from before fingerprints were kept.
        using (var db = new LiteDB.LiteDatabase(Path.Combine(_dir, SliceAuth.Data.LiteDb.LiteDbDatabase.FileName)))
            Assert.True(db.GetCollection("metadata").Delete("pepper.fingerprint"));

        using (var upgraded = AppProcess.Start(_dir, pepperA))
        {
            await upgraded.WaitUntilReady();
            Assert.Equal(System.Net.HttpStatusCode.OK, (await upgraded.Client().Login("legacy")).StatusCode);
        }

        using var other = AppProcess.Start(_dir, new Dictionary<string, string> { ["Auth__Pepper"] = new string('B', 40) });
        await other.AssertRefusedInOneLine("Auth:Pepper");
    }

    [Trait("Storage", "LiteDb")]
    [Fact]
    public async Task A_damaged_database_stops_the_start_naming_the_file_and_leaves_it_untouched()
    {
        using (var first = AppProcess.Start(_dir))
        {
            await first.WaitUntilReady();
            await first.Client().RegisterAndLogin("before-damage");
        }
        var file = Path.Combine(_dir, SliceAuth.Data.LiteDb.LiteDbDatabase.FileName);
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
