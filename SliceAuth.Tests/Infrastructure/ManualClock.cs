namespace SliceAuth.Tests.Infrastructure;

/// <summary>A clock the test moves by hand, so idle and absolute timeouts are tested without waiting.</summary>
public sealed class ManualClock : TimeProvider
{
    private DateTimeOffset _now = new(2026, 1, 15, 9, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
