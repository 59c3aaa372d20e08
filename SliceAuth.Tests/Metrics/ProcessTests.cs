using System.Net;
using SliceAuth.Tests.Infrastructure;

namespace SliceAuth.Tests.Metrics;

/// <summary>/metrics on a real Kestrel socket, where the client address is the TCP peer's and Kestrel's own meter runs.</summary>
public sealed class ProcessTests : IDisposable
{
    private readonly string _dir = TempDirectory.Create();

    [Fact]
    public async Task A_loopback_scraper_is_answered_with_SliceAuths_and_Kestrels_numbers()
    {
        using var app = AppProcess.Start(_dir, new Dictionary<string, string> { ["Metrics__Enabled"] = "true" });
        await app.WaitUntilReady();
        var client = app.Client();
        await client.Login("nobody", "some password here");

        var scrape = await client.Scrape();

        Assert.Equal(1, scrape.Value("sliceauth_logins_total", ("outcome", "failed")));
        Assert.True(scrape.Samples.Any(s => s.Name.StartsWith("kestrel_")), scrape.Text);
    }

    [Fact]
    public async Task With_other_networks_allowed_loopback_gets_404()
    {
        using var app = AppProcess.Start(_dir, new Dictionary<string, string>
        {
            ["Metrics__Enabled"] = "true",
            ["Metrics__AllowedNetworks__0"] = "10.0.0.0/8",
        });
        await app.WaitUntilReady();

        await (await app.Client().GetAsync("/metrics")).Problem(HttpStatusCode.NotFound);
    }

    public void Dispose() => TempDirectory.Delete(_dir);
}
