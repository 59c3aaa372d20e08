using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace SliceAuth.Tests.Infrastructure;

/// <summary>
/// The real application in process: real LiteDB in a temporary data directory, real bcrypt at a low work
/// factor set through configuration, a clock the test controls. Dispose stops it and deletes the directory.
/// </summary>
public sealed class SliceAuthApp : WebApplicationFactory<Program>
{
    private readonly bool _ownsDirectory;
    private readonly IReadOnlyDictionary<string, string?> _settings;
    private readonly Action<IServiceCollection>? _services;

    /// <param name="services">Replaces services after the app registered its own (a gate in front of bcrypt, say).</param>
    public SliceAuthApp(string? dataDirectory = null, IReadOnlyDictionary<string, string?>? settings = null, ManualClock? clock = null,
        Action<IServiceCollection>? services = null)
    {
        _services = services;
        _ownsDirectory = dataDirectory is null;
        DataDirectory = dataDirectory ?? TempDirectory.Create();
        _settings = settings ?? new Dictionary<string, string?>();
        Clock = clock ?? new ManualClock();
    }

    public string DataDirectory { get; }

    public ManualClock Clock { get; }

    public CapturedLogs Logs { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        builder.UseSetting("Storage:DataDirectory", DataDirectory);
        builder.UseSetting("Auth:BcryptWorkFactor", "4");
        builder.UseSetting("RateLimiting:Enabled", "false"); // the limit tests switch it back on
        foreach (var (key, value) in TestStorage.SettingsFor(DataDirectory)) builder.UseSetting(key, value);
        foreach (var (key, value) in _settings) builder.UseSetting(key, value);
        builder.ConfigureServices(services =>
        {
            services.Replace(ServiceDescriptor.Singleton<TimeProvider>(Clock));
            services.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(Logs);
        });
        if (_services is not null) builder.ConfigureTestServices(_services);
    }

    /// <summary>A client that keeps no cookies: each test says which cookie it sends.</summary>
    public HttpClient Client() => CreateClient(new WebApplicationFactoryClientOptions
    {
        AllowAutoRedirect = false,
        HandleCookies = false,
    });

    public T Service<T>() where T : notnull => Services.GetRequiredService<T>();

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && _ownsDirectory) TempDirectory.Delete(DataDirectory);
    }
}

public static class TempDirectory
{
    public static string Create()
    {
        var path = Path.Combine(Path.GetTempPath(), "sliceauth-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }

    public static void Delete(string path)
    {
        try { Directory.Delete(path, recursive: true); }
        catch (IOException) { }
    }
}
