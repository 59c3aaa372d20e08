using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Reliability.Infra;

/// <summary>
/// One SliceAuth process: `dotnet SliceAuth.dll --urls http://127.0.0.1:PORT` in the app's own directory,
/// with its own data directory and bcrypt work factor 4. Output is kept with timestamps for evidence.
/// </summary>
public sealed class Server : IDisposable
{
    public const int Nobody = 65534;
    private static int _nextPort = -1;
    private static readonly Lock PortLock = new();

    private static readonly ConcurrentDictionary<Server, byte> Live = new();
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly Stopwatch _sinceStart;

    private Server(Process process, int port, string dataDirectory, string name)
    {
        _process = process;
        Port = port;
        DataDirectory = dataDirectory;
        Name = name;
        BaseAddress = new Uri($"http://127.0.0.1:{port}");
        _sinceStart = Stopwatch.StartNew();
    }

    public string Name { get; }
    public int Port { get; }
    public Uri BaseAddress { get; }
    public string DataDirectory { get; }
    public int Pid => _process.Id;
    public bool HasExited => _process.HasExited;
    public int ExitCode => _process.ExitCode;
    public TimeSpan SinceStart => _sinceStart.Elapsed;
    public IReadOnlyList<string> Output => _output.ToArray();

    /// <summary>Starts the server. runAsUid: run it unprivileged through setpriv (root ignores file permissions).</summary>
    /// <param name="ports">The range to take the port from (default: Settings.PortFirst-PortLast).</param>
    /// <param name="command">A command instead of serving (e.g. "migrate": `dotnet SliceAuth.dll migrate`, no --urls).</param>
    public static Server Start(Settings s, string dataDirectory, string name, int? runAsUid = null,
        IReadOnlyDictionary<string, string>? environment = null, (int First, int Last)? ports = null, string? command = null)
    {
        var port = FreePort(ports ?? (s.PortFirst, s.PortLast));
        var url = $"http://127.0.0.1:{port}";
        string[] arguments = command is null ? [s.AppDll, "--urls", url] : [s.AppDll, command];
        ProcessStartInfo start;
        if (runAsUid is { } uid)
        {
            start = new ProcessStartInfo("setpriv") { ArgumentList = { $"--reuid={uid}", $"--regid={uid}", "--clear-groups", "dotnet" } };
            start.Environment["HOME"] = Path.GetTempPath();
        }
        else
        {
            start = new ProcessStartInfo("dotnet");
        }
        foreach (var a in arguments) start.ArgumentList.Add(a);
        // The app's directory, not the checkout: the unprivileged server may not be able to enter the checkout.
        start.WorkingDirectory = Path.GetDirectoryName(s.AppDll)!;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        start.Environment.Remove("ASPNETCORE_URLS");
        start.Environment.Remove("ASPNETCORE_HTTP_PORTS");
        start.Environment["Storage__DataDirectory"] = dataDirectory;
        start.Environment["Auth__BcryptWorkFactor"] = "4";
        // The per-client-address limits (10 registrations per 10 min from one address) would turn every load
        // check into 429s from 127.0.0.1; they are the documented switch for load tests. The per-account login
        // throttle stays on.
        start.Environment["RateLimiting__Enabled"] = "false";
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["DOTNET_NOLOGO"] = "1";
        if (s.OnPostgres && command is null && environment?.ContainsKey("Storage__Provider") != true)
            foreach (var (k, v) in PostgresStorage.For(s, dataDirectory)) start.Environment[k] = v;
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) start.Environment[k] = v;

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var server = new Server(process, port, dataDirectory, name);
        process.OutputDataReceived += (_, e) => server.Record(e.Data);
        process.ErrorDataReceived += (_, e) => server.Record(e.Data);
        process.Start();
        server._sinceStart.Restart();
        Live[server] = 0;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    private void Record(string? line)
    {
        if (line is not null) _output.Enqueue($"[{_sinceStart.Elapsed.TotalSeconds,7:0.000}s] {line}");
    }

    /// <summary>
    /// Polls /health/ready for up to the limit (from now) until it answers 200. Returns the time from the process
    /// start to that answer, or null when the process exited or the limit passed.
    /// </summary>
    public async Task<TimeSpan?> WaitReady(TimeSpan limit)
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseCookies = false, PooledConnectionLifetime = TimeSpan.Zero })
        {
            Timeout = TimeSpan.FromSeconds(2),
        };
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < limit)
        {
            if (_process.HasExited) return null;
            try
            {
                using var r = await http.GetAsync(new Uri(BaseAddress, "/health/ready"));
                if (r.StatusCode == HttpStatusCode.OK) return _sinceStart.Elapsed;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { }
            await Task.Delay(20);
        }
        return null;
    }

    /// <summary>Waits for the process to exit; null if it is still running after the limit.</summary>
    public async Task<int?> WaitExit(TimeSpan limit)
    {
        using var cts = new CancellationTokenSource(limit);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
            // Let the asynchronous readers drain the last lines.
            _process.WaitForExit();
            return _process.ExitCode;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    public void Kill9()
    {
        if (_process.HasExited) return;
        kill(_process.Id, 9);
        _process.WaitForExit(10_000);
    }

    /// <summary>SIGTERM and wait; SIGKILL if it does not stop in time. Returns the exit code, null if it had to be killed.</summary>
    public async Task<int?> Terminate(TimeSpan limit)
    {
        if (_process.HasExited) return _process.ExitCode;
        kill(_process.Id, 15);
        var code = await WaitExit(limit);
        if (code is null) Kill9();
        return code;
    }

    /// <summary>VmRSS in KiB from /proc/PID/status.</summary>
    public long? RssKiB()
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
                if (line.StartsWith("VmRSS:"))
                    return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0]);
        }
        catch (IOException) { }
        return null;
    }

    public string Tail(int lines = 25) => string.Join('\n', Output.TakeLast(lines).Select(l => "      " + l));

    public HttpClient Client(int connections = 64, TimeSpan? timeout = null) => Http.Client(BaseAddress, connections, timeout);

    public void Dispose()
    {
        if (!_process.HasExited) Kill9();
        Live.TryRemove(this, out _);
        _process.Dispose();
    }

    /// <summary>Kills every server still running (the run is being interrupted).</summary>
    public static void KillAll()
    {
        foreach (var server in Live.Keys)
        {
            try { server.Kill9(); } catch (InvalidOperationException) { }
        }
    }

    /// <summary>The next port in the range that nothing listens on (cycling, so restarts never race a closing port).</summary>
    private static int FreePort((int First, int Last) range)
    {
        lock (PortLock)
        {
            var (first, last) = range;
            var count = last - first + 1;
            if (_nextPort < first || _nextPort > last) _nextPort = first + Random.Shared.Next(count);
            for (var tries = 0; tries < count; tries++)
            {
                var port = _nextPort;
                _nextPort = port >= last ? first : port + 1;
                if (IsFree(port)) return port;
            }
            throw new InvalidOperationException($"no free port in {first}-{last}");
        }
    }

    /// <summary>Whether nothing listens on the loopback port now.</summary>
    public static bool IsFree(int port)
    {
        try
        {
            var probe = new TcpListener(IPAddress.Loopback, port);
            probe.Start();
            probe.Stop();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int sig);
}
