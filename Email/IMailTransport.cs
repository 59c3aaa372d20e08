using MimeKit;

namespace SliceAuth.Email;

/// <summary>Delivers one finished message or throws; the queue decides about retries.</summary>
public interface IMailTransport
{
    Task SendAsync(MimeMessage message, CancellationToken cancellationToken);
}
