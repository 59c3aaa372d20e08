using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace SliceAuth.Email;

/// <summary>Email:Smtp:Host set: each message over its own SMTP connection (account mail is rare, a pool is not worth it).</summary>
public sealed class SmtpMailTransport(IOptions<EmailOptions> options) : IMailTransport
{
    // A relay that accepts the connection and then says nothing must not hold the sender for MailKit's 2 minutes.
    private const int TimeoutMilliseconds = 30_000;

    public async Task SendAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        var smtp = options.Value.Smtp;
        using var client = new SmtpClient { Timeout = TimeoutMilliseconds };
        await client.ConnectAsync(smtp.Host, smtp.EffectivePort, Secure(smtp.Security), cancellationToken);
        if (smtp.Username.Length > 0) await client.AuthenticateAsync(smtp.Username, smtp.Password, cancellationToken);
        await client.SendAsync(message, cancellationToken);
        await client.DisconnectAsync(quit: true, cancellationToken);
    }

    private static SecureSocketOptions Secure(SmtpSecurity security) => security switch
    {
        SmtpSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
        SmtpSecurity.None => SecureSocketOptions.None,
        // Not StartTlsWhenAvailable: a man in the middle could strip the offer and read the reset links.
        _ => SecureSocketOptions.StartTls,
    };
}
