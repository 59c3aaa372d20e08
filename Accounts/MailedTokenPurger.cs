using Microsoft.Extensions.Options;
using SliceAuth.Auth;
using SliceAuth.Data;

namespace SliceAuth.Accounts;

/// <summary>Deletes expired mailed tokens and ended mail-limit windows periodically (Auth:PurgeInterval); expired tokens are already refused.</summary>
internal sealed class MailedTokenPurger(IEmailTokenStore tokens, IMailQuota quota, IOptions<AuthOptions> options, TimeProvider clock,
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
                }
                catch (StorageUnavailableException e)
                {
                    log.LogWarning("Purging expired mailed tokens failed ({Reason}); retrying at the next interval", e.Message);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
