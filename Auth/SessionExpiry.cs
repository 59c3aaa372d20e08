using Microsoft.Extensions.Options;
using SliceAuth.Data;

namespace SliceAuth.Auth;

/// <summary>The expiry policy: idle and absolute limits, how often activity is recorded, and the clock.</summary>
public sealed class SessionExpiry(IOptions<AuthOptions> options, TimeProvider clock)
{
    private readonly AuthOptions _options = options.Value;

    public TimeSpan AbsoluteTimeout => _options.AbsoluteTimeout;

    public TimeSpan IdleTimeout => _options.IdleTimeout;

    // Recording activity on every request would make each authenticated read a write; once per interval
    // is precise enough for a sliding idle timeout.
    public TimeSpan TouchInterval => TimeSpan.FromTicks(Math.Min(TimeSpan.FromMinutes(1).Ticks, _options.IdleTimeout.Ticks / 10));

    /// <summary>Why the session is over at <paramref name="now"/>, or null while it lives.</summary>
    public string? Reason(Session session, DateTime now) =>
        now >= session.ExpiresAt ? "absolute timeout"
        : now - session.LastSeenAt >= _options.IdleTimeout ? "idle timeout"
        : null;

    /// <summary>When the session ends if it stays idle from now: the earlier of its idle and absolute limits.</summary>
    public DateTime EffectiveExpiry(Session session) =>
        new[] { session.ExpiresAt, session.LastSeenAt + _options.IdleTimeout }.Min();

    // Stores keep milliseconds (LiteDB does); rounding here makes what we return equal what we read back.
    public DateTime Now()
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMillisecond));
    }
}
