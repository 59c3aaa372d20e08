using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using SliceAuth.Tests.Infrastructure;

namespace SliceAuth.Tests.Metrics;

/// <summary>With Metrics:OtlpEndpoint set, the numbers are pushed to a collector: here a real HTTP listener on loopback.</summary>
[Collection(MetricsCollection.Name)]
public sealed class OtlpExportTests
{
    [Fact]
    public async Task The_meter_is_pushed_over_OTLP_to_the_configured_endpoint()
    {
        await using var collector = await Collector.Start();
        using var app = new SliceAuthApp(settings: new Dictionary<string, string?>
        {
            ["Metrics:Enabled"] = "true",
            ["Metrics:OtlpEndpoint"] = $"{collector.Address}v1/metrics",
            // OpenTelemetry's own settings, read from the app's configuration: HTTP, and every 200 ms instead of every minute.
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "200",
        });
        await app.Client().Login("nobody", "some password here");

        var export = await collector.NextContaining("sliceauth.logins");

        Assert.NotNull(export); // protobuf keeps names as UTF-8: the instrument is in the pushed batch
        Assert.Equal(HttpStatusCode.NotFound, (await app.Client().GetAsync("/metrics")).StatusCode); // no client address: still not public
    }

    /// <summary>Accepts OTLP/HTTP posts and keeps their bodies.</summary>
    private sealed class Collector : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly System.Threading.Channels.Channel<byte[]> _bodies = System.Threading.Channels.Channel.CreateUnbounded<byte[]>();

        private Collector(WebApplication app) => _app = app;

        public Uri Address => new(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/");

        public static async Task<Collector> Start()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var app = builder.Build();
            var collector = new Collector(app);
            app.MapPost("/v1/metrics", async (HttpRequest request) =>
            {
                using var body = new MemoryStream();
                await request.Body.CopyToAsync(body);
                await collector._bodies.Writer.WriteAsync(body.ToArray());
                return Results.Ok();
            });
            await app.StartAsync();
            return collector;
        }

        /// <summary>The first pushed body that mentions <paramref name="text"/>; null if none within 20 s.</summary>
        public async Task<byte[]?> NextContaining(string text)
        {
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try
            {
                while (true)
                {
                    var body = await _bodies.Reader.ReadAsync(limit.Token);
                    if (Encoding.UTF8.GetString(body).Contains(text)) return body;
                }
            }
            catch (OperationCanceledException) { return null; }
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
