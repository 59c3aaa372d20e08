using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using SliceAuth.Data;

namespace SliceAuth.Health;

/// <summary>
/// /health/live: the process answers (restart it when this fails). /health/ready: the database takes a
/// write and the key ring protects and unprotects (send it traffic only when this passes); with
/// ConnectionStrings:Redis also rateLimits, Degraded (still 200) while the limits are counted per instance.
/// </summary>
public static class HealthSetup
{
    public const string Ready = "ready";

    public static IServiceCollection AddHealth(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<DatabaseWritable>("database", tags: [Ready])
            .AddCheck<KeyRingLoaded>("keyRing", tags: [Ready]);
        return services;
    }

    public static WebApplication MapHealth(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteJson })
            .AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(Ready), ResponseWriter = WriteJson })
            .AllowAnonymous();
        return app;
    }

    // Names and statuses only: exception texts could carry paths or internals.
    private static Task WriteJson(HttpContext http, HealthReport report)
    {
        http.Response.ContentType = "application/json";
        http.Response.Headers.CacheControl = "no-store";
        return http.Response.WriteAsync(JsonSerializer.Serialize(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => e.Value.Status.ToString()),
        }));
    }

    private sealed class DatabaseWritable(IStorageProbe storage) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct)
        {
            try
            {
                await storage.ProbeWriteAsync(); // a fault is reported inside the store, so recovery starts
                return HealthCheckResult.Healthy();
            }
            catch (Exception e) when (StorageFaults.IsStorageFault(e))
            {
                return HealthCheckResult.Unhealthy();
            }
        }
    }

    private sealed class KeyRingLoaded(IDataProtectionProvider protection) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct)
        {
            var protector = protection.CreateProtector("SliceAuth.Health");
            return Task.FromResult(protector.Unprotect(protector.Protect("ready")) == "ready"
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy());
        }
    }
}
