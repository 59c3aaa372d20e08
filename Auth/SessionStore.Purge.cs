using SliceAuth.Metrics;

namespace SliceAuth.Auth;

/// <summary>The purge of expired sessions (run by <see cref="SessionPurger"/>); an expired one is refused when presented anyway.</summary>
public sealed partial class SessionStore
{
    /// <summary>Deletes every session past its idle or absolute limit; returns how many.</summary>
    public async Task<int> PurgeExpiredAsync()
    {
        var now = expiry.Now();
        var purged = await _cache.RemovingAsync(() => records.PurgeExpiredAsync(now, now - expiry.IdleTimeout),
            cached => expiry.Reason(cached.Session, now) is not null);
        if (purged > 0) audit.SessionsPurged(purged);
        metrics.SessionsEnded(SessionEndReason.Expired, purged);
        return purged;
    }
}
