using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace SliceAuth.Tests.Metrics;

/// <summary>
/// TestServer leaves the client address empty; a real socket would fill it. This startup filter gives every
/// request the address a test names, ahead of the app's own pipeline, as Kestrel would.
/// </summary>
public sealed class ClientAddress(IPAddress? address) : IStartupFilter
{
    public static Action<IServiceCollection> Is(string address) =>
        services => services.AddSingleton<IStartupFilter>(new ClientAddress(IPAddress.Parse(address)));

    /// <summary>No address at all (a transport that gives none): nothing can match an allowed network.</summary>
    public static Action<IServiceCollection> IsNone() =>
        services => services.AddSingleton<IStartupFilter>(new ClientAddress(null));

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((http, nextMiddleware) =>
        {
            http.Connection.RemoteIpAddress = address;
            return nextMiddleware(http);
        });
        next(app);
    };
}

/// <summary>
/// The app's meters are named per process, not per host: OpenTelemetry in one test host would also count what
/// another host running beside it does. These tests therefore run alone, after the parallel ones.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MetricsCollection
{
    public const string Name = "Metrics";
}
