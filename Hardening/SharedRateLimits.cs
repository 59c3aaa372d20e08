using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using SliceAuth.Health;

namespace SliceAuth.Hardening;

/// <summary>With ConnectionStrings:Redis set, the per-client limits are counted in Redis; /health/ready then reports rateLimits.</summary>
public static class SharedRateLimits
{
    public static IServiceCollection AddSharedRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        var connectionString = configuration[RedisConnectionOptions.Key];
        services.AddOptions<RedisConnectionOptions>()
            .Configure(o => o.ConnectionString = connectionString)
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<RedisConnectionOptions>, RedisConnectionOptionsValidator>();
        if (string.IsNullOrWhiteSpace(connectionString)) return services;

        services.AddSingleton(sp => new RedisWindowCounter(
            sp.GetRequiredService<IOptions<RedisConnectionOptions>>().Value, sp.GetRequiredService<ILogger<RedisWindowCounter>>()));
        services.AddHostedService(sp => sp.GetRequiredService<RedisWindowCounter>());
        services.AddHealthChecks().AddCheck<RateLimitsShared>("rateLimits", tags: [HealthSetup.Ready]);
        // The health service logs a warning for every Degraded probe: a load balancer's polling would turn one
        // outage (already logged once by the counter) into a warning every few seconds. Unhealthy still logs.
        services.AddLogging(logging => logging.AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks.DefaultHealthCheckService", LogLevel.Error));
        return services;
    }

    /// <summary>Degraded, not unhealthy: without Redis the instance still limits on its own and serves every request.</summary>
    private sealed class RateLimitsShared(RedisWindowCounter counter) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct) =>
            await counter.ProbeAsync() ? HealthCheckResult.Healthy() : HealthCheckResult.Degraded();
    }
}
