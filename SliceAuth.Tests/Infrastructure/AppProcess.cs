using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace SliceAuth.Tests.Infrastructure;

/// <summary>
/// SliceAuth as its own process on a real Kestrel socket (127.0.0.1, a port the OS picks), for what only a
/// process shows: signals, exit codes, a second instance, the console log format.
/// </summary>
public sealed partial class AppProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private AppProcess(Process process) => _process = process;

    public Uri? BaseAddress { get; private set; }

    public IReadOnlyList<string> Output => _output.ToArray();

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <param name="command">Arguments instead of serving (<c>migrate</c>); none: serve on a free loopback port.</param>
    public static AppProcess Start(string dataDirectory, IReadOnlyDictionary<string, string>? environment = null, params string[] command)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { Path.Combine(AppContext.BaseDirectory, "SliceAuth.dll") },
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in command.Length > 0 ? command : ["--urls", "http://127.0.0.1:0"]) start.ArgumentList.Add(argument);
        start.Environment["Storage__DataDirectory"] = dataDirectory;
        start.Environment["Auth__BcryptWorkFactor"] = "4";
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (key, value) in TestStorage.SettingsFor(dataDirectory)) start.Environment[key.Replace(":", "__")] = value;
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) start.Environment[key] = value;

        var app = new AppProcess(new Process { StartInfo = start, EnableRaisingEvents = true });
        app._process.OutputDataReceived += (_, e) => app.Record(e.Data);
        app._process.ErrorDataReceived += (_, e) => app.Record(e.Data);
        app._process.Start();
        app._process.BeginOutputReadLine();
        app._process.BeginErrorReadLine();
        return app;
    }

    /// <summary>Waits until the process listens and /health/ready answers 200; returns how long that took.</summary>
    public async Task<TimeSpan> WaitUntilReady(TimeSpan? timeout = null)
    {
        var started = Stopwatch.StartNew();
        var limit = timeout ?? TimeSpan.FromSeconds(30);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        while (started.Elapsed < limit)
        {
            if (_process.HasExited) throw new InvalidOperationException("SliceAuth exited:\n" + string.Join('\n', Output));
            if (BaseAddress is not null)
            {
                try
                {
                    if ((await http.GetAsync(new Uri(BaseAddress, "/health/ready"))).IsSuccessStatusCode) return started.Elapsed;
                }
                // A probe slower than the client's timeout (a loaded machine) is retried like a refused one.
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { }
            }
            await Task.Delay(25);
        }
        throw new TimeoutException("SliceAuth was not ready in time:\n" + string.Join('\n', Output));
    }

    /// <summary>A client that keeps no cookies and follows no redirects: each test says which cookie it sends.</summary>
    public HttpClient Client() => new(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false })
    {
        BaseAddress = BaseAddress ?? throw new InvalidOperationException("Not listening yet."),
    };

    /// <summary>SIGTERM, as an orchestrator stops a container.</summary>
    public void Terminate()
    {
        if (kill(_process.Id, 15) != 0) throw new InvalidOperationException("kill(SIGTERM) failed");
    }

    public async Task<int> WaitForExit(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    private void Record(string? line)
    {
        if (line is null) return;
        _output.Enqueue(line);
        if (BaseAddress is null && ListeningOn().Match(line) is { Success: true } m) BaseAddress = new Uri(m.Groups[1].Value);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
        _process.Dispose();
    }

    [GeneratedRegex(@"listening on: (http://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningOn();

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int sig);
}
