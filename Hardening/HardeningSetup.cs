using Microsoft.Extensions.Options;
using SliceAuth.Hosting;

namespace SliceAuth.Hardening;

public static class HardeningSetup
{
    public static WebApplicationBuilder AddHardening(this WebApplicationBuilder builder)
    {
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false; // no product banner for scanners
            kestrel.Limits.MaxRequestBodySize = RequestBodyLimit.MaxBytes;
        });

        builder.Services.AddOptions<CrossOriginOptions>()
            .BindChecked(builder.Configuration, CrossOriginOptions.Section)
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<CrossOriginOptions>, CrossOriginOptionsValidator>();
        var allowedOrigins = builder.Configuration.GetSection($"{CrossOriginOptions.Section}:AllowedOrigins").Get<string[]>() ?? [];
        builder.Services.AddCors(cors => cors.AddDefaultPolicy(policy => policy
            .WithOrigins(allowedOrigins)
            .AllowCredentials()
            .AllowAnyHeader()
            .WithMethods("GET", "POST", "DELETE")));

        builder.Services.AddClientRateLimits(builder.Configuration);
        return builder;
    }

    /// <summary>In order: headers on everything, CORS answers, then the refusals before any work is done.</summary>
    public static IApplicationBuilder UseHardening(this IApplicationBuilder app) => app
        .UseCors()
        .UseCrossSiteRefusal()
        .UseRequestBodyLimit()
        .UseRateLimiter();
}
