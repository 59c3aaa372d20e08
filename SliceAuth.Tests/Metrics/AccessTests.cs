using System.Net;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using SliceAuth.Tests.Infrastructure;

namespace SliceAuth.Tests.Metrics;

/// <summary>/metrics exists only when enabled, and then answers only the networks it is told to.</summary>
[Collection(MetricsCollection.Name)]
public sealed class AccessTests
{
    [Fact]
    public async Task Disabled_there_is_no_metrics_route_and_no_OpenTelemetry()
    {
        using var app = new SliceAuthApp(services: ClientAddress.Is("127.0.0.1"));

        await (await app.Client().Get("/metrics")).Problem(HttpStatusCode.NotFound);
        Assert.Null(app.Services.GetService<MeterProvider>());
    }

    [Theory]
    [InlineData("192.0.2.10")]   // the default: loopback only
    [InlineData("::ffff:10.0.0.1")]
    public async Task Enabled_a_client_outside_the_allowed_networks_gets_404(string client)
    {
        using var app = new SliceAuthApp(settings: Enabled(), services: ClientAddress.Is(client));

        await (await app.Client().Get("/metrics")).Problem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Enabled_loopback_is_answered_by_default()
    {
        using var app = new SliceAuthApp(settings: Enabled(), services: ClientAddress.Is("::1"));

        Assert.Equal(HttpStatusCode.OK, (await app.Client().Get("/metrics")).StatusCode);
    }

    [Fact]
    public async Task Enabled_with_no_client_address_gets_404()
    {
        using var app = new SliceAuthApp(settings: Enabled(), services: ClientAddress.IsNone());

        await (await app.Client().Get("/metrics")).Problem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Configured_networks_replace_loopback()
    {
        var settings = Enabled(("Metrics:AllowedNetworks:0", "10.20.0.0/16"));
        using (var inside = new SliceAuthApp(settings: settings, services: ClientAddress.Is("10.20.3.4")))
            Assert.Equal(HttpStatusCode.OK, (await inside.Client().Get("/metrics")).StatusCode);
        using (var loopback = new SliceAuthApp(settings: settings, services: ClientAddress.Is("127.0.0.1")))
            await (await loopback.Client().Get("/metrics")).Problem(HttpStatusCode.NotFound);
    }

    private static Dictionary<string, string?> Enabled(params (string Key, string Value)[] more)
    {
        var settings = new Dictionary<string, string?> { ["Metrics:Enabled"] = "true" };
        foreach (var (key, value) in more) settings[key] = value;
        return settings;
    }
}
