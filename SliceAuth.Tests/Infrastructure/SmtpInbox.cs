using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using netDumbster.smtp;

namespace SliceAuth.Tests.Infrastructure;

/// <summary>
/// A real SMTP server (netDumbster) on a free loopback port, plain text (Security=None). Give the app
/// <see cref="Settings"/> and its mail arrives here over a real SMTP conversation.
/// </summary>
public sealed class SmtpInbox : MailboxBase, IDisposable
{
    private readonly SimpleSmtpServer _server;
    private readonly ConcurrentQueue<(string Key, Func<ReceivedMail> Read)> _arrived = new();

    public SmtpInbox()
    {
        _server = StartOnFreePort();
        _server.MessageReceived += (_, e) =>
        {
            var mail = new Lazy<ReceivedMail>(() => Parse(e.Message.Data));
            _arrived.Enqueue((Guid.NewGuid().ToString("N"), () => mail.Value));
        };
    }

    public int Port => _server.Configuration.Port;

    /// <summary>The settings that point SliceAuth's mailer at this server.</summary>
    public IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Email:Smtp:Host"] = "127.0.0.1",
        ["Email:Smtp:Port"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Email:Smtp:Security"] = "None",
    };

    /// <summary>Every mail the server received, whatever its recipient.</summary>
    public int Count => _arrived.Count;

    protected override IReadOnlyList<(string Key, Func<ReceivedMail> Read)> Arrived() => _arrived.ToArray();

    public void Dispose() => _server.Dispose();

    // netDumbster picks its random port by opening and closing a listener: another process can take it
    // in between, so a taken port is retried with a fresh one.
    private static SimpleSmtpServer StartOnFreePort()
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return Configuration.Configure().WithAddress(IPAddress.Loopback).WithRandomPort().Build();
            }
            catch (SocketException) when (attempt < 5) { }
        }
    }
}
