using System.Threading.RateLimiting;

namespace SliceAuth.Hardening;

/// <summary>
/// One client's fixed window on one route, counted in Redis so that every instance sees the same count. While
/// Redis cannot answer, this instance's own fixed window (the same limit) decides instead: the limit then
/// holds per instance, and no request waits on Redis or fails because of it.
/// </summary>
internal sealed class SharedFixedWindowLimiter(RedisWindowCounter counter, string policy, string client, RateLimitingOptions.WindowLimit limit)
    : RateLimiter
{
    private readonly FixedWindowRateLimiter _local = new(new FixedWindowRateLimiterOptions
    {
        PermitLimit = limit.PermitLimit,
        Window = limit.Window,
        QueueLimit = 0,
    });

    private int _asking;

    /// <summary>The count lives in Redis: once the local window is idle too, the middleware may drop this object (not mid-call).</summary>
    public override TimeSpan? IdleDuration => Volatile.Read(ref _asking) > 0 ? null : _local.IdleDuration;

    public override RateLimiterStatistics? GetStatistics() => _local.GetStatistics();

    // The synchronous attempt cannot ask Redis; refusing it sends the middleware to AcquireAsync, which does.
    protected override RateLimitLease AttemptAcquireCore(int permitCount) => Lease.NotYetAsked;

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _asking);
        try
        {
            if (await counter.HitAsync(policy, client, limit.Window) is not { } shared)
                return await _local.AcquireAsync(permitCount, cancellationToken);
            return shared.Count <= limit.PermitLimit ? Lease.Granted : new Lease(acquired: false, retryAfter: shared.Remaining);
        }
        finally
        {
            Interlocked.Decrement(ref _asking);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _local.Dispose();
        base.Dispose(disposing);
    }

    private sealed class Lease(bool acquired, TimeSpan? retryAfter) : RateLimitLease
    {
        public static readonly Lease Granted = new(acquired: true, retryAfter: null);
        public static readonly Lease NotYetAsked = new(acquired: false, retryAfter: null);

        public override bool IsAcquired => acquired;

        public override IEnumerable<string> MetadataNames => retryAfter is null ? [] : [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = retryAfter;
            return retryAfter is not null && metadataName == MetadataName.RetryAfter.Name;
        }
    }
}
