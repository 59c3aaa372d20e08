using Microsoft.Extensions.DependencyInjection;

namespace SliceAuth.Tests.Infrastructure;

/// <summary>
/// Base of a test class that talks to the app. xunit builds the class anew for every test, so every test gets
/// its own app (own temporary data directory, clock and logs): counts, throttles and clocks never leak between
/// tests. A class that needs settings, a clock or a data directory passes them to this constructor.
/// </summary>
public abstract class AppTest : IDisposable
{
    protected AppTest(string? dataDirectory = null, IReadOnlyDictionary<string, string?>? settings = null, ManualClock? clock = null,
        Action<IServiceCollection>? services = null)
    {
        App = new SliceAuthApp(dataDirectory, settings, clock, services);
        Client = App.Client();
    }

    protected SliceAuthApp App { get; }

    /// <summary>A client that keeps no cookies: each test says which cookie it sends.</summary>
    protected HttpClient Client { get; }

    public void Dispose()
    {
        App.Dispose();
        DisposeMore();
        GC.SuppressFinalize(this);
    }

    /// <summary>What a subclass started besides the app (a mail server), stopped after the app.</summary>
    protected virtual void DisposeMore() { }
}
