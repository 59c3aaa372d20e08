using Microsoft.Extensions.Options;

namespace SliceAuth.Email;

/// <summary>
/// Sends what <see cref="MailQueue"/> holds, one at a time, each with retries and doubling waits. A mail that
/// still fails is logged by kind and account only: its body holds the token. At shutdown the queue closes and
/// the sender goes on with what is queued for Email:ShutdownGrace, then gives up and says how many it left.
/// </summary>
public sealed class MailSender(MailQueue queue, IMailTransport transport, IOptions<EmailOptions> options, ILogger<MailSender> logger)
    : BackgroundService
{
    // Waits double from Email:FirstRetryDelay but never beyond this: a mail that late is hardly worth sending.
    private static readonly TimeSpan LongestWait = TimeSpan.FromMinutes(5);

    // Not the host's stopping token: stopping starts the grace period, and only its end cancels the sending.
    private readonly CancellationTokenSource _abort = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var mail in queue.Reader.ReadAllAsync(_abort.Token)) await SendAsync(mail);
        }
        catch (OperationCanceledException) when (_abort.IsCancellationRequested)
        {
            if (queue.Reader.Count > 0)
                logger.LogWarning("Shutdown: {Count} queued mail(s) not sent", queue.Reader.Count);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        queue.Close();
        try
        {
            _abort.CancelAfter(options.Value.ShutdownGrace);
        }
        catch (ObjectDisposedException)
        {
            // A second stop after the host disposed its services (test hosts do this): the sender is long gone.
            return;
        }
        await base.StopAsync(cancellationToken);
    }

    private async Task SendAsync(QueuedMail mail)
    {
        var attempts = options.Value.SendAttempts;
        var wait = options.Value.FirstRetryDelay;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await transport.SendAsync(mail.Message, _abort.Token);
                return;
            }
            catch (OperationCanceledException) when (_abort.IsCancellationRequested)
            {
                logger.LogWarning("Shutdown: {MailKind} mail for account {UsernameKey} not sent", mail.Kind, mail.UsernameKey);
                throw;
            }
            // The message only (an operator needs "connection refused" or the server's refusal), not the exception
            // object: nothing in the mail we built is in it, and stack traces would repeat at every attempt.
            catch (Exception e) when (attempt < attempts)
            {
                logger.LogInformation("Sending {MailKind} mail for account {UsernameKey} failed (attempt {Attempt} of {Attempts}, {Error}); retrying in {Wait}",
                    mail.Kind, mail.UsernameKey, attempt, attempts, e.Message, wait);
            }
            catch (Exception e)
            {
                logger.LogWarning("{MailKind} mail for account {UsernameKey} not sent after {Attempts} attempt(s): {Error}",
                    mail.Kind, mail.UsernameKey, attempts, e.Message);
                return;
            }
            try
            {
                await Task.Delay(wait, _abort.Token);
            }
            catch (OperationCanceledException)
            {
                logger.LogWarning("Shutdown: {MailKind} mail for account {UsernameKey} not sent", mail.Kind, mail.UsernameKey);
                throw;
            }
            wait = TimeSpan.FromTicks(Math.Min(wait.Ticks * 2, LongestWait.Ticks));
        }
    }

    public override void Dispose()
    {
        _abort.Dispose();
        base.Dispose();
    }
}
