using System.Collections.Concurrent;
using System.Security.Claims;
using SliceAuth.Data;

namespace SliceAuth.Auth;

/// <summary>
/// Live sessions held in memory, so the check on every authenticated request is a dictionary lookup, not a
/// storage read. Right only while every deletion reaches it: this process's own go through
/// <see cref="RemovingAsync{T}"/>, other writers' arrive through <see cref="Forget"/> and <see cref="Clear"/>
/// (the storage's <see cref="ISessionRemovalFeed"/>); while that feed may miss something it is not consulted.
/// </summary>
internal sealed class LiveSessionCache
{
    private const int MaxCached = 200_000;

    private readonly ConcurrentDictionary<string, Cached> _cache = new();
    private readonly Lock _removals = new();

    // Bumped after every removal has reached the storage. A cache fill that read the storage before a
    // removal must not keep what it read: it keeps it only if no removal finished in between (see FindAsync).
    private long _removalCount;

    /// <summary>How many sessions are remembered now (the live-session gauge).</summary>
    public int Count => _cache.Count;

    /// <summary>A session as remembered: the record (its LastSeenAt moves) and the principal built once.</summary>
    public sealed record Cached(Session Session, ClaimsPrincipal Principal);

    /// <summary>The remembered session, or on a miss what <paramref name="load"/> reads, kept unless a removal raced with the read.</summary>
    public async Task<Cached?> FindAsync(string id, Func<string, Task<Session?>> load)
    {
        if (_cache.TryGetValue(id, out var hit)) return hit;

        var removalsBefore = Interlocked.Read(ref _removalCount);
        var session = await load(id);
        if (session is null) return null;

        var cached = new Cached(session, SessionClaims.For(session.UserId, session.Username, session.Handle));
        lock (_removals)
        {
            if (_removalCount != removalsBefore) return cached; // serve this request, but do not remember it
            if (_cache.Count >= MaxCached) _cache.Clear();      // a bound, not a policy: misses refill it
            _cache[id] = cached;
        }
        return cached;
    }

    /// <summary>The session as stored now, not remembered (the cache is off or cannot be trusted).</summary>
    public static async Task<Cached?> ReadThroughAsync(string id, Func<string, Task<Session?>> load) =>
        await load(id) is { } session ? new Cached(session, SessionClaims.For(session.UserId, session.Username, session.Handle)) : null;

    /// <summary>Another writer deleted or changed this session.</summary>
    public void Forget(string id)
    {
        lock (_removals) _removalCount++;
        _cache.TryRemove(id, out _);
    }

    /// <summary>Anything may have changed elsewhere: nothing remembered before now is kept.</summary>
    public void Clear()
    {
        lock (_removals) _removalCount++;
        _cache.Clear();
    }

    /// <summary>
    /// Every deletion of sessions: the storage first, then the count, then memory. A cache fill that read a
    /// session before it was deleted either finishes before the count moves (and is dropped here) or sees the
    /// count moved and does not keep it (see FindAsync): memory never serves a session the storage no longer has.
    /// </summary>
    public Task<T> RemovingAsync<T>(Func<Task<T>> delete, Func<Cached, bool> cachedToDrop) =>
        RemovingAsync(delete, () =>
        {
            foreach (var (id, cached) in _cache)
                if (cachedToDrop(cached)) _cache.TryRemove(id, out _);
        });

    /// <summary>One session by id (logout, an expired one).</summary>
    public Task<T> RemovingAsync<T>(string id, Func<Task<T>> delete) => RemovingAsync(delete, () => _cache.TryRemove(id, out _));

    private async Task<T> RemovingAsync<T>(Func<Task<T>> delete, Action forget)
    {
        try
        {
            return await delete();
        }
        finally
        {
            lock (_removals) _removalCount++;
            forget();
        }
    }
}
