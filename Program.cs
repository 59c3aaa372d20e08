using System.Text.Json.Serialization;
using FastEndpoints;
using SliceAuth.Accounts;
using SliceAuth.Auth;
using SliceAuth.Audit;
using SliceAuth.Data;
using SliceAuth.Data.Postgres;
using SliceAuth.Email;
using SliceAuth.Features.ForwardAuth;
using SliceAuth.Hardening;
using SliceAuth.Health;
using SliceAuth.Hosting;
using SliceAuth.Metrics;
using SliceAuth.OpenApi;
using SliceAuth.Passkeys;
using SliceAuth.Problems;
using SliceAuth.TwoFactor;

// `dotnet SliceAuth.dll migrate`: the PostgreSQL schema, then exit.
if (MigrateCommand.IsRequested(args)) return MigrateCommand.Run(args);

return StartupFailures.RunOrExplain(() =>
{
    var builder = WebApplication.CreateBuilder(args);

    builder.Logging.UseConfiguredFormat(builder.Configuration);
    builder.AddHardening();

    builder.Services
        .AddStorage(builder.Configuration)
        .AddSessionAuth(builder.Configuration)
        .AddEmail(builder.Configuration)
        .AddAccountEmail(builder.Configuration)
        .AddTwoFactor()
        .AddForwardAuth(builder.Configuration)
        .AddPasskeys(builder.Configuration)
        .AddApiProblems()
        // FastEndpoints copies these options; strict numbers keep integer schemas plain in the OpenAPI document.
        .ConfigureHttpJsonOptions(json => json.SerializerOptions.NumberHandling = JsonNumberHandling.Strict)
        .AddHealth()
        .AddMetrics(builder.Configuration)
        // Only this assembly has endpoints: scanning every loaded assembly slows each start.
        .AddFastEndpoints(discovery => discovery.Assemblies = [typeof(Program).Assembly])
        .AddApiDocs();

    var app = builder.BuildChecked();

    app.UseSecurityHeaders();
    app.UseApiProblems();
    app.UseHardening();
    app.UseAuthentication();
    app.UseAuthorization();
    app.UseFastEndpoints(config =>
    {
        config.ConfigureValidationProblems();
        config.ReadOneValuePerKey();
    });
    app.MapHealth();
    app.MapMetrics();
    app.MapApiDocs();
    return app;
});

/// <summary>Visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
