using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using SliceAuth.Accounts;
using SliceAuth.Audit;
using SliceAuth.Data;

namespace SliceAuth.Auth;

/// <summary>
/// Keeps sessions in LiteDB so the cookie carries only a random token: logout deletes the session and a
/// replayed cookie is refused at once. Idle and absolute expiry are enforced here, on the server.
/// <para>
/// Live sessions are also held in memory, so the check on every authenticated request is a dictionary
/// lookup, not a database read. This process is the only writer (the data directory lock sees to that) and
/// every change goes through this class, so the memory copy cannot go stale: a revocation removes it.
/// </para>
/// </summary>
public sealed partial class SessionStore(AppDatabase db, IOptions<AuthOptions> options, TimeProvider clock, AuditLog audit) : ITicketStore
{
    private const int MaxCached = 200_000;

    private readonly AuthOptions _options = options.Value;
    private readonly ConcurrentDictionary<string, Cached> _cache = new();
    private readonly Lock _removals = new();

    // Bumped after every removal has reached the database. A cache fill that read the database before a
    // removal must not keep what it read: it keeps it only if no removal finished in between (see Removing).
    private long _removalCount;

    // Recording activity on every request would make each authenticated read a write; once per interval
    // is precise enough for a sliding idle timeout.
    private TimeSpan TouchInterval => TimeSpan.FromTicks(Math.Min(TimeSpan.FromMinutes(1).Ticks, _options.IdleTimeout.Ticks / 10));

    public readonly record struct NewSession(string Token, string Handle);

    /// <summary>Creates a session: 256 random bits for the cookie, only their SHA-256 kept here.</summary>
    public NewSession Start(Guid userId, string username, HttpContext? http)
    {
        var (session, started) = Prepare(userId, username, http);
        db.Write(d => d.Sessions.Insert(session));
        return started;
    }

    /// <summary>A new session document and its token, not stored yet.</summary>
    private (Session Session, NewSession Started) Prepare(Guid userId, string username, HttpContext? http)
    {
        var now = Now();
        var token = WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        var handle = WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(16));
        var session = new Session
        {
            Id = IdOf(token),
            Handle = handle,
            UserId = userId,
            Username = username,
            CreatedAt = now,
            LastSeenAt = now,
            ExpiresAt = now + _options.AbsoluteTimeout,
            UserAgent = Truncate(http?.Request.Headers.UserAgent.ToString(), 512),
            IpAddress = http?.ClientAddress(),
        };
        return (session, new NewSession(token, handle));
    }

    /// <summary>The live sessions of a user, newest first.</summary>
    public IReadOnlyList<Session> ListFor(Guid userId)
    {
        var now = Now();
        return db.Sessions.Find(s => s.UserId == userId)
            .Where(s => ExpiryReason(s, now) is null)
            .OrderByDescending(s => s.CreatedAt)
            .ToList();
    }

    /// <summary>When the session ends if it stays idle from now: the earlier of its idle and absolute limits.</summary>
    public DateTime EffectiveExpiry(Session session) =>
        new[] { session.ExpiresAt, session.LastSeenAt + _options.IdleTimeout }.Min();

    /// <summary>Revokes one session of this user by its public handle; false when it is not theirs or not there.</summary>
    public bool Revoke(Guid userId, string handle) =>
        Removing(d => d.Sessions.DeleteMany(s => s.Handle == handle && s.UserId == userId),
            cached => cached.Session.Handle == handle && cached.Session.UserId == userId) > 0;

    /// <summary>Revokes every session of the user, but the one with <paramref name="exceptHandle"/>.</summary>
    public int RevokeAll(Guid userId, string? exceptHandle = null) =>
        exceptHandle is null
            ? Removing(d => d.Sessions.DeleteMany(s => s.UserId == userId), cached => cached.Session.UserId == userId)
            : Removing(d => d.Sessions.DeleteMany(s => s.UserId == userId && s.Handle != exceptHandle),
                cached => cached.Session.UserId == userId && cached.Session.Handle != exceptHandle);

    // ITicketStore: the cookie handler's view. Sign-in goes through StartVerified and SessionCookies.Set instead (the
    // handler would re-use a presented session's key), so StoreAsync serves only callers of SignInAsync.

    public Task<string> StoreAsync(AuthenticationTicket ticket) => StoreAsync(ticket, null);

    public Task<string> StoreAsync(AuthenticationTicket ticket, CancellationToken cancellationToken) => StoreAsync(ticket, null);

    public Task<string> StoreAsync(AuthenticationTicket ticket, HttpContext httpContext, CancellationToken cancellationToken) =>
        StoreAsync(ticket, (HttpContext?)httpContext);

    private Task<string> StoreAsync(AuthenticationTicket ticket, HttpContext? http) =>
        Task.FromResult(Start(ticket.Principal.UserId(), ticket.Principal.Username(), http).Token);

    public Task<AuthenticationTicket?> RetrieveAsync(string key) => Task.FromResult(Retrieve(key, null));

    public Task<AuthenticationTicket?> RetrieveAsync(string key, CancellationToken cancellationToken) => RetrieveAsync(key);

    public Task<AuthenticationTicket?> RetrieveAsync(string key, HttpContext httpContext, CancellationToken cancellationToken)
    {
        if (httpContext.GetEndpoint()?.Metadata.GetMetadata<StartsNewSession>() is null)
            return Task.FromResult(Retrieve(key, httpContext));

        Remove(IdOf(key));
        return Task.FromResult<AuthenticationTicket?>(null);
    }

    private AuthenticationTicket? Retrieve(string token, HttpContext? http)
    {
        var id = IdOf(token);
        var cached = _cache.TryGetValue(id, out var hit) ? hit : Load(id);
        if (cached is null) return null;

        var session = cached.Session;
        var now = Now();
        if (ExpiryReason(session, now) is { } reason)
        {
            Remove(id);
            audit.SessionExpired(Usernames.Key(session.Username), http?.ClientAddress(), session.Handle, reason);
            return null;
        }
        if (now - session.LastSeenAt >= TouchInterval)
        {
            session.LastSeenAt = now;
            db.Write(d => d.Sessions.Update(session)); // Update, never upsert: a session deleted meanwhile stays deleted.
        }

        // No IssuedUtc/ExpiresUtc: expiry was just enforced above, and setting them formats two dates per request.
        return new AuthenticationTicket(cached.Principal, new AuthenticationProperties(), AuthSetup.Scheme);
    }

    /// <summary>A cache miss: read the database, and keep what it held unless a removal raced with the read.</summary>
    private Cached? Load(string id)
    {
        var removalsBefore = Interlocked.Read(ref _removalCount);
        var session = db.Sessions.FindById(id);
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

    /// <summary>
    /// Every deletion of sessions: the database first, then the count, then memory. A cache fill that read a
    /// session before it was deleted either finishes before the count moves (and is dropped here) or sees the
    /// count moved and does not keep it (see Load): memory never serves a session the database no longer has.
    /// </summary>
    private T Removing<T>(Func<AppDatabase, T> write, Func<Cached, bool> cachedToDrop, bool together = false) =>
        Removing(write, () =>
        {
            foreach (var (id, cached) in _cache)
                if (cachedToDrop(cached)) _cache.TryRemove(id, out _);
        }, together);

    /// <param name="together">Several changes that must commit all or nothing (<see cref="AppDatabase.WriteTogether{T}"/>).</param>
    private T Removing<T>(Func<AppDatabase, T> write, Action forget, bool together = false)
    {
        try
        {
            return together ? db.WriteTogether(write) : db.Write(write);
        }
        finally
        {
            lock (_removals) _removalCount++;
            forget();
        }
    }

    private void Remove(string id) => Removing(d => d.Sessions.Delete(id), () => _cache.TryRemove(id, out _));

    /// <summary>A session as remembered: the document (its LastSeenAt moves) and the principal built once.</summary>
    private sealed record Cached(Session Session, System.Security.Claims.ClaimsPrincipal Principal);

    // Sliding expiration is done in Retrieve; the cookie handler's own renewal is switched off.
    public Task RenewAsync(string key, AuthenticationTicket ticket) => Task.CompletedTask;

    public Task RemoveAsync(string key)
    {
        Remove(IdOf(key));
        return Task.CompletedTask;
    }

    public Task RemoveAsync(string key, CancellationToken cancellationToken) => RemoveAsync(key);

    public Task RemoveAsync(string key, HttpContext httpContext, CancellationToken cancellationToken) => RemoveAsync(key);

    /// <summary>Deletes every session past its idle or absolute limit; returns how many.</summary>
    public int PurgeExpired()
    {
        var now = Now();
        var idleCutoff = now - _options.IdleTimeout;
        var purged = Removing(d => d.Sessions.DeleteMany(s => s.ExpiresAt <= now || s.LastSeenAt <= idleCutoff),
            cached => ExpiryReason(cached.Session, now) is not null);
        if (purged > 0) audit.SessionsPurged(purged);
        return purged;
    }

    private string? ExpiryReason(Session session, DateTime now) =>
        now >= session.ExpiresAt ? "absolute timeout"
        : now - session.LastSeenAt >= _options.IdleTimeout ? "idle timeout"
        : null;

    // LiteDB keeps milliseconds; rounding here makes what we return equal what we read back.
    private DateTime Now()
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMillisecond));
    }

    private static string IdOf(string token) =>
        WebEncoders.Base64UrlEncode(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static string? Truncate(string? value, int max) =>
        string.IsNullOrEmpty(value) ? null : value.Length <= max ? value : value[..max];
}
