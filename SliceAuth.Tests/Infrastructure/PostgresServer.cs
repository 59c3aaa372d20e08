using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace SliceAuth.Tests.Infrastructure;

/// <summary>
/// One throwaway PostgreSQL cluster for the whole test run, on a free loopback port, started by the project's
/// own tools/postgres/server.sh (initdb as the postgres user; postgresql-15 installed with apt-get when
/// missing) and stopped when the run ends. Each test gets a database of its own. A server that cannot be
/// started fails the tests that need it: never a skip.
/// </summary>
public static class PostgresServer
{
    private static readonly Lazy<string> Admin = new(Start);

    /// <summary>A new empty database; the connection string to it.</summary>
    public static string CreateDatabase()
    {
        var name = "t_" + Guid.NewGuid().ToString("N");
        using (var connection = new NpgsqlConnection(Admin.Value))
        {
            connection.Open();
            using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            create.ExecuteNonQuery();
        }
        return new NpgsqlConnectionStringBuilder(Admin.Value) { Database = name }.ConnectionString;
    }

    /// <summary>Runs SQL as the cluster's owner against <paramref name="connectionString"/>'s database (an operator's hand).</summary>
    public static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static string Start()
    {
        var script = Path.Combine(RepositoryRoot(), "tools", "postgres", "server.sh");
        var parent = Path.Combine(Path.GetTempPath(), "sliceauth-tests-pg-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(parent);
        // initdb runs as the postgres user, who must be able to reach the cluster's directory.
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(parent, (UnixFileMode)0b111_101_101);
        var dir = Path.Combine(parent, "cluster");
        var port = FreePort();
        var (exit, stdout, stderr) = Run("bash", script, "start", dir, port.ToString());
        if (exit != 0) throw new InvalidOperationException($"tools/postgres/server.sh could not start PostgreSQL: {stdout}{stderr}");
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            Run("bash", script, "stop", dir);
            try { Directory.Delete(parent, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        };
        return stdout.Trim().Split('\n')[^1]; // the script's last line on stdout is the connection string
    }

    private static (int Exit, string Stdout, string Stderr) Run(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "tools", "postgres", "server.sh"))) return dir.FullName;
        throw new InvalidOperationException("Cannot find tools/postgres/server.sh above the test assembly.");
    }
}
