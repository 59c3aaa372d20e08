namespace SliceAuth.Data;

/// <summary>
/// How many mails a key (an address, a client) may cause in a fixed window, counted atomically in the store
/// so that concurrent requests, and every instance sharing the store, draw from one count.
/// </summary>
public interface IMailQuota
{
    /// <summary>
    /// Takes one from <paramref name="key"/>'s allowance of <paramref name="limit"/> per <paramref name="window"/>
    /// (a fixed window that starts with the first take after the previous one ended); false, nothing taken, when
    /// it is used up.
    /// </summary>
    Task<bool> TryTakeAsync(string key, int limit, TimeSpan window, DateTime now);

    /// <summary>Housekeeping: forgets keys whose window ended before <paramref name="endedBefore"/>.</summary>
    Task<int> ForgetEndedAsync(DateTime endedBefore);
}
