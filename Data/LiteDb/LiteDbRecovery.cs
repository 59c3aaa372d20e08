namespace SliceAuth.Data.LiteDb;

/// <summary>Reopens the database a few times a second while it is faulted (a full disk), so it recovers by itself.</summary>
internal sealed class LiteDbRecovery(LiteDbDatabase db, ILogger<LiteDbRecovery> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
        var wasFaulted = false;
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                if (!db.IsFaulted) continue;
                if (!wasFaulted) log.LogWarning("A storage write failed; reopening the database until it works again");
                wasFaulted = true;
                if (!db.TryRecover()) continue;
                log.LogInformation("The database is writable again");
                wasFaulted = false;
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
