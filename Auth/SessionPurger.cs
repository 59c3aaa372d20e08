using Microsoft.Extensions.Options;

namespace SliceAuth.Auth;

/// <summary>Deletes expired sessions and stale login failures periodically; expired sessions are already refused when presented.</summary>
internal sealed class SessionPurger(SessionStore store, ILoginThrottle throttle, IOptions<AuthOptions> options, TimeProvider clock, ILogger<SessionPurger> log)
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
