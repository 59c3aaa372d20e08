using System.Threading.Channels;
using Microsoft.Extensions.Options;
using MimeKit;

namespace SliceAuth.Email;

/// <summary>A message waiting to be sent, with what a log line may say about it (never its content).</summary>
/// <param name="Kind">Which account mail it is (ResetPassword, PasswordChanged, ...).</param>
/// <param name="UsernameKey">The account it is about.</param>
public sealed record QueuedMail(string Kind, string UsernameKey, MimeMessage Message);

/// <summary>
/// The bounded hand-over between a request and <see cref="MailSender"/>. Adding never waits: when the queue is
/// full (a mail server down for long, a flood) the mail is dropped with a warning and the request goes on.
/// </summary>
public sealed class MailQueue(IOptions<EmailOptions> options, ILogger<MailQueue> logger)
{
    private readonly Channel<QueuedMail> _channel = Channel.CreateBounded<QueuedMail>(
        new BoundedChannelOptions(options.Value.QueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    internal ChannelReader<QueuedMail> Reader => _channel.Reader;

    /// <summary>Queues the mail, or drops it with a warning; true when queued.</summary>
    public bool Enqueue(QueuedMail mail)
    {
        // FullMode Wait only matters to WriteAsync; TryWrite answers false at once when full or closed.
        if (_channel.Writer.TryWrite(mail)) return true;
        logger.LogWarning("Mail queue full or closed: {MailKind} mail for account {UsernameKey} dropped", mail.Kind, mail.UsernameKey);
        return false;
    }

    /// <summary>No more mail is taken; what is queued can still be read.</summary>
    internal void Close() => _channel.Writer.TryComplete();
}
