using Microsoft.Extensions.Options;
using SliceAuth.Data;

namespace SliceAuth.Auth;

/// <summary>
/// Deletes expired sessions, stale login failures and expired pending second-factor logins periodically; expired
/// sessions and pending logins are already refused when presented.
/// </summary>
internal sealed class SessionPurger(SessionStore store, ILoginThrottle throttle, ISecondFactorStore secondFactors, IOptions<AuthOptions> options,
    TimeProvider clock, ILogger<SessionPurger> log)
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
                    await store.PurgeExpiredAsync();
                    await throttle.ForgetStaleAsync();
                    await secondFactors.DeleteExpiredPendingLoginsAsync(clock.GetUtcNow().UtcDateTime);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    log.LogError(e, "Purging expired sessions failed; retrying at the next interval");
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
