using System.Net;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using SliceAuth.Hosting;

namespace SliceAuth.Metrics;

public static class MetricsSetup
{
    public const string Path = "/metrics";

    /// <summary>
    /// <see cref="SliceAuthMetrics"/> always (the product calls it unconditionally); the OpenTelemetry SDK with the
    /// Prometheus exporter, and OTLP when an endpoint is set, only with Metrics:Enabled=true.
    /// </summary>
    public static IServiceCollection AddMetrics(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<MetricsOptions>()
            .BindChecked(configuration, MetricsOptions.Section)
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<MetricsOptions>, MetricsOptionsValidator>();
        services.AddSingleton<SliceAuthMetrics>();

        // Read raw here, before validation: a value that does not parse registers nothing, and the validation
        // at start refuses it naming the key.
        var section = configuration.GetSection(MetricsOptions.Section);
        if (!bool.TryParse(section[nameof(MetricsOptions.Enabled)], out var enabled) || !enabled) return services;

        var otlp = Uri.TryCreate(section[nameof(MetricsOptions.OtlpEndpoint)], UriKind.Absolute, out var endpoint) ? endpoint : null;
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(SliceAuthMetrics.MeterName)) // service_name in target_info and OTLP
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(SliceAuthMetrics.MeterName)
                    // ASP.NET Core's own: http.server.request.duration, http.server.active_requests, kestrel.*.
                    .AddMeter("Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel")
                    // No response cache: a scrape shows every count up to now (the route is limited to AllowedNetworks).
                    .AddPrometheusExporter(prometheus => prometheus.ScrapeResponseCacheDurationMilliseconds = 0);
                if (otlp is not null) metrics.AddOtlpExporter(o => o.Endpoint = otlp);
            });
        return services;
    }

    /// <summary>
    /// /metrics in Prometheus text when enabled, answered only to clients in Metrics:AllowedNetworks: anyone else
    /// gets the 404 of an unknown route. Not in the OpenAPI document (it is for operators, not API clients).
    /// </summary>
    public static WebApplication MapMetrics(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<MetricsOptions>>().Value;
        if (!options.Enabled) return app;

        var allowed = options.Networks();
        app.MapPrometheusScrapingEndpoint(Path, meterProvider: null, configureBranchedPipeline: branch => branch.Use((http, next) =>
            IsAllowed(http.Connection.RemoteIpAddress, allowed) ? next(http) : NotFound(http)), optionsName: null)
            .AllowAnonymous()
            .ExcludeFromDescription();
        return app;
    }

    private static bool IsAllowed(IPAddress? client, IReadOnlyList<IPNetwork> allowed)
    {
        if (client is null) return false;
        if (client.IsIPv4MappedToIPv6) client = client.MapToIPv4(); // a dual-stack socket reports 127.0.0.1 as ::ffff:127.0.0.1
        return allowed.Any(network => network.Contains(client));
    }

    // The problem body comes from the status-code pages, exactly as for a route that does not exist.
    private static Task NotFound(HttpContext http)
    {
        http.Response.StatusCode = StatusCodes.Status404NotFound;
        return Task.CompletedTask;
    }
}
