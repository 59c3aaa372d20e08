using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace SliceAuth.Auth;

/// <summary>
/// Per-account brute-force brake: after MaxFailures consecutive failed password checks within Window, the
/// account's next attempts get 429 until the oldest of those failures leaves the window. Keyed by the
/// normalised username whether or not the account exists, so the answer never tells the two apart.
/// Kept in memory: a restart forgets failures, which only helps an attacker who can restart the service.
/// </summary>
public sealed class LoginThrottle(IOptions<AuthOptions> options, TimeProvider clock)
{
    private readonly LoginThrottleOptions _options = options.Value.LoginThrottle;
    private readonly ConcurrentDictionary<string, Failures> _failures = new();

    /// <summary>How long the account must wait before its next attempt; null when it may try now.</summary>
    public TimeSpan? RetryAfter(string accountKey)
    {
        if (!_failures.TryGetValue(accountKey, out var failures)) return null;
        lock (failures)
        {
            var now = clock.GetUtcNow();
            failures.Forget(now - _options.Window);
            if (failures.Count < _options.MaxFailures) return null;
            return failures.Oldest + _options.Window - now;
        }
    }

    public void RecordFailure(string accountKey)
    {
        var now = clock.GetUtcNow();
        var failures = _failures.GetOrAdd(accountKey, _ => new Failures());
        lock (failures)
        {
            failures.Forget(now - _options.Window);
            failures.Add(now, _options.MaxFailures);
        }
        if (_failures.Count > 100_000) ForgetStale();
    }

    /// <summary>A correct password ends the run of failures.</summary>
    public void Reset(string accountKey) => _failures.TryRemove(accountKey, out _);

    /// <summary>Drops accounts whose failures have all left the window; keeps memory bounded under random-name floods.</summary>
    public void ForgetStale()
    {
        var cutoff = clock.GetUtcNow() - _options.Window;
        foreach (var (key, failures) in _failures)
            lock (failures)
            {
                failures.Forget(cutoff);
                if (failures.Count == 0) _failures.TryRemove(key, out _);
            }
    }

    /// <summary>The times of the most recent failures, at most as many as the limit.</summary>
    private sealed class Failures
    {
        private readonly Queue<DateTimeOffset> _times = new();

        public int Count => _times.Count;

        public DateTimeOffset Oldest => _times.Peek();

        public void Add(DateTimeOffset at, int keep)
        {
            _times.Enqueue(at);
            while (_times.Count > keep) _times.Dequeue();
        }

        public void Forget(DateTimeOffset before)
        {
            while (_times.Count > 0 && _times.Peek() <= before) _times.Dequeue();
        }
    }
}
