using Microsoft.Extensions.Options;
using SliceAuth.Auth;
using SliceAuth.Data;

namespace SliceAuth.TwoFactor;

/// <summary>Deletes expired pending logins at the session purge's interval; an expired one is refused when presented anyway.</summary>
internal sealed class PendingLoginPurger(ISecondFactorStore store, IOptions<AuthOptions> options, TimeProvider clock, ILogger<PendingLoginPurger> log)
    : BackgroundService
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
                    await store.DeleteExpiredPendingLoginsAsync(clock.GetUtcNow().UtcDateTime);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    log.LogError(e, "Purging expired pending logins failed; retrying at the next interval");
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
