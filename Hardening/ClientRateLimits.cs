using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using SliceAuth.Hosting;
using SliceAuth.Metrics;
using SliceAuth.Problems;

namespace SliceAuth.Hardening;

/// <summary>
/// RateLimiting: per-client-address limits on the routes that cost a bcrypt hash or redeem a mailed token. Every request counts,
/// valid or not. Counted per instance, or in Redis for all instances together when ConnectionStrings:Redis is
/// set. Enabled=false switches these off (load tests, test suites); the per-account login throttle
/// (Auth:LoginThrottle) is separate and always on.
/// </summary>
public sealed class RateLimitingOptions
{
    public const string Section = "RateLimiting";

    public bool Enabled { get; set; } = true;

    /// <summary>Per client address; allows a typo-prone user and a shared office NAT, not a password sprayer.</summary>
    public WindowLimit Login { get; set; } = new() { PermitLimit = 30, Window = TimeSpan.FromMinutes(1) };

    /// <summary>Per client address; a person registers once, a bot farm many times.</summary>
    public WindowLimit Register { get; set; } = new() { PermitLimit = 10, Window = TimeSpan.FromMinutes(10) };

    /// <summary>Per client address, on the routes that redeem a mailed token: a guess costs like a password guess.</summary>
    public WindowLimit Tokens { get; set; } = new() { PermitLimit = 30, Window = TimeSpan.FromMinutes(1) };

    public sealed class WindowLimit
    {
        public int PermitLimit { get; set; }
        public TimeSpan Window { get; set; }
    }
}

public static class ClientRateLimits
{
    public const string Login = "login";
    public const string Register = "register";
    public const string Tokens = "tokens";

    public static IServiceCollection AddClientRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RateLimitingOptions>()
            .BindChecked(configuration, RateLimitingOptions.Section)
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<RateLimitingOptions>, RateLimitingOptionsValidator>();
        services.AddSharedRateLimits(configuration);

        services.AddRateLimiter(limiter =>
        {
            limiter.AddPolicy(Login, http => PerClient(http, Login, o => o.Login));
            limiter.AddPolicy(Register, http => PerClient(http, Register, o => o.Register));
            limiter.AddPolicy(Tokens, http => PerClient(http, Tokens, o => o.Tokens));
            limiter.OnRejected = (context, _) =>
            {
                SliceAuthMetrics.Of(context.HttpContext).RateLimited(context.HttpContext.GetEndpoint());
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
                return new ValueTask(ApiProblems.TooManyRequests(context.HttpContext, retryAfter, "Too many requests from this client.")
                    .ExecuteAsync(context.HttpContext));
            };
        });
        return services;
    }

    private static RateLimitPartition<string> PerClient(HttpContext http, string policy, Func<RateLimitingOptions, RateLimitingOptions.WindowLimit> pick)
    {
        var options = http.RequestServices.GetRequiredService<IOptions<RateLimitingOptions>>().Value;
        if (!options.Enabled) return RateLimitPartition.GetNoLimiter("off");

        var limit = pick(options);
        var client = http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        if (http.RequestServices.GetService<RedisWindowCounter>() is { } shared)
            return RateLimitPartition.Get(client, key => new SharedFixedWindowLimiter(shared, policy, key, limit));
        return RateLimitPartition.GetFixedWindowLimiter(client, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = limit.PermitLimit,
            Window = limit.Window,
            QueueLimit = 0,
        });
    }
}

internal sealed class RateLimitingOptionsValidator : IValidateOptions<RateLimitingOptions>
{
    public ValidateOptionsResult Validate(string? name, RateLimitingOptions o)
    {
        var errors = new List<string>();
        Check(errors, nameof(o.Login), o.Login);
        Check(errors, nameof(o.Register), o.Register);
        Check(errors, nameof(o.Tokens), o.Tokens);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Check(List<string> errors, string route, RateLimitingOptions.WindowLimit limit)
    {
        var key = $"{RateLimitingOptions.Section}:{route}";
        if (limit.PermitLimit < 1)
            errors.Add($"{key}:PermitLimit must be at least 1 (got {limit.PermitLimit}); set RateLimiting:Enabled to false to switch the limits off.");
        // Longer than a day is a ban, not a rate; the limiter's timer also has an upper bound.
        if (limit.Window < TimeSpan.FromSeconds(1) || limit.Window > TimeSpan.FromDays(1))
            errors.Add($"{key}:Window must be between 00:00:01 and 1.00:00:00 (got {limit.Window:c}).");
    }
}
