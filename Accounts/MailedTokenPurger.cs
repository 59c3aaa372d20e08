using Microsoft.Extensions.Options;
using SliceAuth.Auth;
using SliceAuth.Data;

namespace SliceAuth.Accounts;

/// <summary>
/// Deletes expired mailed tokens, ended mail-limit windows and expired passkey ceremony challenges periodically
/// (Auth:PurgeInterval); expired tokens and challenges are already refused.
/// </summary>
internal sealed class MailedTokenPurger(IEmailTokenStore tokens, IMailQuota quota, IPasskeyStore passkeys, IOptions<AuthOptions> options, TimeProvider clock,
    ILogger<MailedTokenPurger> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.PurgeInterval, clock);
        try
        {
            do
            {
                try
                {
                    var now = clock.GetUtcNow().UtcDateTime;
                    await tokens.DeleteExpiredAsync(now);
                    await quota.ForgetEndedAsync(now);
                    await passkeys.DeleteExpiredChallengesAsync(now);
                }
                catch (StorageUnavailableException e)
                {
                    log.LogWarning("Purging expired mailed tokens and challenges failed ({Reason}); retrying at the next interval", e.Message);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
