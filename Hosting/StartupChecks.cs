using Microsoft.Extensions.Options;

namespace SliceAuth.Hosting;

/// <summary>Something that can refuse the start for a reason an operator can fix (the data directory, the pepper).</summary>
public interface IStartupCheck
{
    /// <summary>Throws an exception <see cref="StartupFailures"/> explains in one line when the start must not go on.</summary>
    void Run();
}

public static class StartupChecks
{
    public static IServiceCollection AddStartupCheck<TCheck>(this IServiceCollection services) where TCheck : class, IStartupCheck =>
        services.AddSingleton<IStartupCheck, TCheck>();

    /// <summary>
    /// Builds the app, then validates every option and runs every start-up check at once, before anything else
    /// is created or logged. A refusal then reaches <see cref="StartupFailures.RunOrExplain"/> as the only output:
    /// left to the host's start, the host would first log it with its stack trace ("Hosting failed to start"),
    /// and mapping the endpoints would log a line of its own.
    /// </summary>
    public static WebApplication BuildChecked(this WebApplicationBuilder builder)
    {
        var app = builder.Build();
        app.Services.GetService<IStartupValidator>()?.Validate();
        foreach (var check in app.Services.GetServices<IStartupCheck>()) check.Run();
        return app;
    }
}
