using Microsoft.Extensions.Options;
using SliceAuth.Audit;
using SliceAuth.Auth;
using SliceAuth.Data;

namespace SliceAuth.Passkeys;

/// <summary>Deletes abandoned ceremonies' challenges periodically (Auth:PurgeInterval); expired ones are already refused.</summary>
internal sealed class PasskeyChallengePurger(IPasskeyStore store, PasskeyChallenges challenges, IOptions<AuthOptions> options,
    TimeProvider clock, AuditLog audit, ILogger<PasskeyChallengePurger> log) : BackgroundService
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
                    if (await store.DeleteExpiredChallengesAsync(challenges.Now()) is > 0 and var count) audit.PasskeyChallengesPurged(count);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    log.LogError(e, "Purging expired passkey challenges failed; retrying at the next interval");
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
