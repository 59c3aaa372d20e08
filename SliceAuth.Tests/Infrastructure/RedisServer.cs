using System.Diagnostics;
using System.Net.Sockets;

namespace SliceAuth.Tests.Infrastructure;

/// <summary>
/// A real redis-server on loopback for the tests of the shared rate limits, started through
/// tools/redis/server.sh (which installs Debian's redis-server when missing) on the first free port of
/// 6390-6399, in its own temporary directory. A server that cannot be started fails the tests: never a skip.
/// Stop and Start stop and restart the same server on the same port (an outage and its end); Pause and
/// Resume freeze it and let it go on.
/// </summary>
public sealed class RedisServer : IDisposable
{
    private const int FirstPort = 6390, LastPort = 6399;

    private readonly string _directory = TempDirectory.Create();

    public RedisServer()
    {
        var why = "every port is taken";
        for (var port = FirstPort; port <= LastPort; port++)
        {
            if (Taken(port)) continue;
            var (exitCode, stdout, stderr) = Script("start", _directory, port.ToString());
            why = stderr.Trim();
            if (exitCode != 0) continue; // lost the port to another process meanwhile: try the next
            Port = port;
            ConnectionString = stdout.Trim();
            return;
        }
        throw new InvalidOperationException($"No redis-server could be started on 127.0.0.1:{FirstPort}-{LastPort}: {why}");
    }

    public int Port { get; }

    /// <summary>ConnectionStrings:Redis for this server.</summary>
    public string ConnectionString { get; } = "";

    public void Stop() => Check(Script("stop", _directory));

    public void Start() => Check(Script("start", _directory, Port.ToString()));

    /// <summary>Freezes the server: its connections stay open and nothing answers (a hung Redis).</summary>
    public void Pause() => Check(Script("pause", _directory));

    public void Resume() => Check(Script("resume", _directory));

    /// <summary>Runs redis-cli against this server and returns its output (FLUSHALL between tests, TTL of a key).</summary>
    public string Cli(params string[] arguments)
    {
        var start = new ProcessStartInfo("redis-cli") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in (string[])["-h", "127.0.0.1", "-p", Port.ToString(), .. arguments]) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
        return output.Trim();
    }

    public void Dispose()
    {
        Script("stop", _directory);
        TempDirectory.Delete(_directory);
    }

    private static bool Taken(int port)
    {
        try
        {
            using var probe = new TcpClient();
            probe.Connect("127.0.0.1", port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static void Check((int ExitCode, string Stdout, string Stderr) result)
    {
        if (result.ExitCode != 0) throw new InvalidOperationException($"tools/redis/server.sh failed: {result.Stderr}");
    }

    private static (int ExitCode, string Stdout, string Stderr) Script(params string[] arguments)
    {
        var start = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            ArgumentList = { Path.Combine(RepositoryRoot(), "tools", "redis", "server.sh") },
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        // The first start may install redis-server with apt-get.
        if (!process.WaitForExit(TimeSpan.FromMinutes(5))) process.Kill(entireProcessTree: true);
        process.WaitForExit();
        return (process.ExitCode, stdout, stderr.Result);
    }

    /// <summary>The checkout the tests were built from: the first directory above the test assembly holding tools/redis.</summary>
    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "tools", "redis", "server.sh"))) return dir.FullName;
        throw new InvalidOperationException($"No tools/redis/server.sh above {AppContext.BaseDirectory}.");
    }
}
