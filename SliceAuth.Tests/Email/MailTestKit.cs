using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using MimeKit;
using SliceAuth.Data;
using SliceAuth.Email;
using SliceAuth.Tests.Infrastructure;

namespace SliceAuth.Tests.Email;

/// <summary>What the mailer tests share: an account to mail, a token, waiting for a log line.</summary>
internal static class MailTestKit
{
    public static User Account(string username = "alice", string? email = null) => new()
    {
        Id = Guid.NewGuid(),
        Username = username,
        UsernameKey = username.ToLowerInvariant(),
        Email = email ?? $"{Guid.NewGuid():N}@example.com",
    };

    /// <summary>A token like the flows make, with the characters a URL must escape, so escaping is tested too.</summary>
    public static string Token() => Convert.ToBase64String(Guid.NewGuid().ToByteArray()) + "+/=&";

    public static IReadOnlyList<CapturedLogs.Entry> From<T>(this CapturedLogs logs) =>
        logs.Entries.Where(e => e.Category == typeof(T).FullName).ToList();

    public static async Task<CapturedLogs.Entry> WaitForLog(this CapturedLogs logs, Func<CapturedLogs.Entry, bool> match)
    {
        var limit = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            if (logs.Entries.FirstOrDefault(match) is { } entry) return entry;
            if (DateTime.UtcNow > limit) throw new TimeoutException("The expected log entry was not written.");
            await Task.Delay(20);
        }
    }

    /// <summary>A loopback port nothing listens on (bound by the OS, then released).</summary>
    public static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public static Dictionary<string, string?> With(this IReadOnlyDictionary<string, string?> settings, params (string Key, string? Value)[] more)
    {
        var all = new Dictionary<string, string?>(settings);
        foreach (var (key, value) in more) all[key] = value;
        return all;
    }
}

/// <summary>Stands in for the transport: holds every message until opened, counting what arrived and what went through.</summary>
internal sealed class GateTransport : IMailTransport
{
    private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _arrived;
    private int _sent;

    public int Arrived => Volatile.Read(ref _arrived);

    public int Sent => Volatile.Read(ref _sent);

    public void Open() => _open.TrySetResult();

    public async Task SendAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _arrived);
        await _open.Task.WaitAsync(cancellationToken);
        Interlocked.Increment(ref _sent);
    }

    public async Task WaitUntil(Func<GateTransport, bool> condition)
    {
        var limit = DateTime.UtcNow.AddSeconds(15);
        while (!condition(this))
        {
            if (DateTime.UtcNow > limit) throw new TimeoutException("The mail sender did not get there in time.");
            await Task.Delay(10);
        }
    }
}
