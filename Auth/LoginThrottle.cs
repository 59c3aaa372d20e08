using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace SliceAuth.Auth;

/// <summary>
/// In-memory <see cref="ILoginThrottle"/>: after MaxFailures failed password checks within Window, the
/// account's next attempts get 429 until the oldest of those failures leaves the window; checks in flight
/// hold a place, so the limit holds under concurrency. Keyed by the normalised username whether or not the
/// account exists, so the answer never tells the two apart. A restart forgets failures, which only helps an
/// attacker who can restart the service.
/// </summary>
public sealed class LoginThrottle(IOptions<AuthOptions> options, TimeProvider clock) : ILoginThrottle
{
    private const int ForgetAbove = 100_000;

    /// <summary>
    /// When the places are taken by checks still in flight rather than by failures: those end within a bcrypt
    /// time, so the honest answer is "soon" (the header's minimum).
    /// </summary>
    private static readonly TimeSpan InFlightWait = TimeSpan.FromSeconds(1);

    private readonly LoginThrottleOptions _options = options.Value.LoginThrottle;
    private readonly ConcurrentDictionary<string, Account> _accounts = new();

    public Task<TimeSpan?> TryReserveAsync(string accountKey)
    {
        if (_accounts.Count > ForgetAbove) ForgetStale();
        return Task.FromResult(Locked(accountKey, (account, now) =>
        {
            if (account.Failures + account.InFlight < _options.MaxFailures)
            {
                account.InFlight++;
                return (TimeSpan?)null;
            }
            return account.Failures >= _options.MaxFailures ? account.Oldest + _options.Window - now : InFlightWait;
        }));
    }

    public Task RecordFailureAsync(string accountKey) => Locked(accountKey, (account, now) =>
    {
        account.EndCheck();
        account.AddFailure(now, _options.MaxFailures);
        return Task.CompletedTask;
    });

    /// <summary>A correct password ends the run of failures; checks still in flight keep their places.</summary>
    public Task ResetAsync(string accountKey) => Locked(accountKey, (account, _) =>
    {
        account.EndCheck();
        account.ClearFailures();
        return Task.CompletedTask;
    });

    public Task ReleaseAsync(string accountKey) => Locked(accountKey, (account, _) =>
    {
        account.EndCheck();
        return Task.CompletedTask;
    });

    public Task ForgetStaleAsync()
    {
        ForgetStale();
        return Task.CompletedTask;
    }

    /// <summary>Drops accounts with no failure in the window and no check in flight; keeps memory bounded under random-name floods.</summary>
    private void ForgetStale()
    {
        var cutoff = clock.GetUtcNow() - _options.Window;
        foreach (var entry in _accounts)
            lock (entry.Value)
            {
                entry.Value.Forget(cutoff);
                if (entry.Value.Failures > 0 || entry.Value.InFlight > 0) continue;
                entry.Value.Forgotten = true;
                _accounts.TryRemove(entry);
            }
    }

    /// <summary>Runs under the account's lock, after failures older than the window are forgotten.</summary>
    private T Locked<T>(string accountKey, Func<Account, DateTimeOffset, T> action)
    {
        while (true)
        {
            var account = _accounts.GetOrAdd(accountKey, _ => new Account());
            lock (account)
            {
                // ForgetStale removed it between GetOrAdd and the lock: a change to it would be lost.
                if (account.Forgotten) continue;
                var now = clock.GetUtcNow();
                account.Forget(now - _options.Window);
                return action(account, now);
            }
        }
    }

    /// <summary>One account's recent failures (at most as many as the limit) and its checks in flight.</summary>
    private sealed class Account
    {
        private readonly Queue<DateTimeOffset> _failures = new();

        public int Failures => _failures.Count;

        public int InFlight { get; set; }

        public bool Forgotten { get; set; }

        public DateTimeOffset Oldest => _failures.Peek();

        public void EndCheck() => InFlight = Math.Max(0, InFlight - 1);

        public void AddFailure(DateTimeOffset at, int keep)
        {
            _failures.Enqueue(at);
            while (_failures.Count > keep) _failures.Dequeue();
        }

        public void ClearFailures() => _failures.Clear();

        public void Forget(DateTimeOffset before)
        {
            while (_failures.Count > 0 && _failures.Peek() <= before) _failures.Dequeue();
        }
    }
}
