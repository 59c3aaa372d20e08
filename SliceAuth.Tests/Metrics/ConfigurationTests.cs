using SliceAuth.Tests.Infrastructure;

namespace SliceAuth.Tests.Metrics;

/// <summary>A Metrics setting that cannot work refuses the start in one line naming the key, as every other setting does.</summary>
public sealed class ConfigurationTests : IDisposable
{
    private readonly string _dir = TempDirectory.Create();

    [Theory]
    [InlineData("Metrics:Enabled", "yes")]
    [InlineData("Metrics:AllowedNetworks:0", "10.0.0.1/8")]      // bits past the prefix: meant 10.0.0.0/8?
    [InlineData("Metrics:AllowedNetworks:0", "localhost")]
    [InlineData("Metrics:AllowedNetworks:0", "10.0.0.0/33")]
    [InlineData("Metrics:AllowedNetworks", "10.0.0.0/8")]        // a list given a single value
    [InlineData("Metrics:OtlpEndpoint", "collector:4317")]       // no scheme
    public async Task A_bad_metrics_setting_stops_the_start_naming_the_key(string key, string value)
    {
        using var app = AppProcess.Start(_dir, new Dictionary<string, string>
        {
            ["Metrics__Enabled"] = "true",
            [key.Replace(":", "__")] = value,
        });

        await app.AssertRefusedInOneLine(key);
    }

    public void Dispose() => TempDirectory.Delete(_dir);
}
