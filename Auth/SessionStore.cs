using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using SliceAuth.Accounts;
using SliceAuth.Audit;
using SliceAuth.Data;
using SliceAuth.Metrics;

namespace SliceAuth.Auth;

/// <summary>
/// Server-side sessions: the cookie carries only a random token (<see cref="SessionTokens"/>), the record is in
/// storage (<see cref="ISessionRecords"/>), live ones are also in memory (<see cref="LiveSessionCache"/>), and
/// idle and absolute expiry (<see cref="SessionExpiry"/>) are enforced here, on the server. Other writers'
/// deletions (other instances, an operator) reach memory through <see cref="ISessionRemovalFeed"/>. Logout deletes the
/// session and a replayed cookie is refused at once. The cookie handler reaches it through
/// <see cref="SessionTicketStore"/>; the writes that go with an account's credentials are in
/// <c>SessionStore.Credentials.cs</c>, the purge in <c>SessionStore.Purge.cs</c>.
/// </summary>
public sealed partial class SessionStore
{
    private readonly ISessionRecords records;
    private readonly IAccountStore accounts;
    private readonly IEmailTokenStore tokens;
    private readonly SessionExpiry expiry;
    private readonly AuditLog audit;
    private readonly ISessionRemovalFeed removals;
    private readonly SliceAuthMetrics metrics;
    private readonly bool _cacheOn;
    private readonly LiveSessionCache _cache = new();

    public SessionStore(ISessionRecords records, IAccountStore accounts, IEmailTokenStore tokens, SessionExpiry expiry, AuditLog audit,
        ISessionRemovalFeed removals, IOptions<SessionCacheOptions> options, SliceAuthMetrics metrics)
    {
        this.metrics = metrics;
        metrics.ObserveLiveSessions(() => _cache.Count);
        this.records = records;
        this.accounts = accounts;
        this.tokens = tokens;
        this.expiry = expiry;
        this.audit = audit;
        this.removals = removals;
        _cacheOn = options.Value.Cache == SessionCacheMode.On;
        removals.Removed += _cache.Forget;
        removals.Reset += _cache.Clear;
    }

    public readonly record struct NewSession(string Token, string Handle);

    /// <summary>Creates and stores a session (callers of SignInAsync; logins go through <see cref="StartVerifiedAsync"/>).</summary>
    public async Task<NewSession> StartAsync(Guid userId, string username, HttpContext? http)
    {
        var (session, started) = Prepare(userId, username, http);
        await records.AddAsync(session);
        metrics.SessionStarted();
        return started;
    }

    private (Session Session, NewSession Started) Prepare(Guid userId, string username, HttpContext? http) =>
        SessionTokens.Create(userId, username, expiry.Now(), expiry.AbsoluteTimeout, http);

    /// <summary>The live sessions of a user, newest first.</summary>
    public async Task<IReadOnlyList<Session>> ListForAsync(Guid userId)
    {
        var now = expiry.Now();
        return (await records.ListByAccountAsync(userId))
            .Where(s => expiry.Reason(s, now) is null)
            .OrderByDescending(s => s.CreatedAt)
            .ToList();
    }

    /// <summary>When the session ends if it stays idle from now: the earlier of its idle and absolute limits.</summary>
    public DateTime EffectiveExpiry(Session session) => expiry.EffectiveExpiry(session);

    /// <summary>Revokes one session of this user by its public handle; false when it is not theirs or not there.</summary>
    public Task<bool> RevokeAsync(Guid userId, string handle) =>
        _cache.RemovingAsync(() => records.DeleteByHandleAsync(userId, handle),
            cached => cached.Session.Handle == handle && cached.Session.UserId == userId);

    /// <summary>Revokes every session of the user, but the one with <paramref name="exceptHandle"/>.</summary>
    public Task<int> RevokeAllAsync(Guid userId, string? exceptHandle = null) =>
        _cache.RemovingAsync(() => records.DeleteAllOfAccountAsync(userId, exceptHandle),
            cached => cached.Session.UserId == userId && (exceptHandle is null || cached.Session.Handle != exceptHandle));

    /// <summary>The principal of the live session behind a cookie's token; null (and the session ended) when it expired.</summary>
    public async Task<AuthenticationTicket?> RetrieveAsync(string token, HttpContext? http)
    {
        var id = SessionTokens.IdOf(token);
        var cached = _cacheOn && removals.Complete
            ? await _cache.FindAsync(id, records.FindAsync)
            : await LiveSessionCache.ReadThroughAsync(id, records.FindAsync);
        if (cached is null) return null;

        var session = cached.Session;
        var now = expiry.Now();
        if (expiry.Reason(session, now) is { } reason)
        {
            // Another instance may have seen the session more recently than this copy says: the stored record decides.
            if (await records.FindAsync(id) is { } stored && expiry.Reason(stored, now) is null)
                session.LastSeenAt = stored.LastSeenAt;
            else
            {
                await RemoveAsync(token);
                audit.SessionExpired(Usernames.Key(session.Username), http?.ClientAddress(), session.Handle, reason);
                metrics.SessionsEnded(SessionEndReason.Expired);
                return null;
            }
        }
        if (now - session.LastSeenAt >= expiry.TouchInterval)
        {
            session.LastSeenAt = now;
            await records.TouchAsync(id, now); // never recreates a session deleted meanwhile
        }

        // No IssuedUtc/ExpiresUtc: expiry was just enforced above, and setting them formats two dates per request.
        return new AuthenticationTicket(cached.Principal, new AuthenticationProperties(), AuthSetup.Scheme);
    }

    /// <summary>Ends the session behind a cookie's token (logout, a new login over it).</summary>
    public Task RemoveAsync(string token)
    {
        var id = SessionTokens.IdOf(token);
        return _cache.RemovingAsync(id, () => records.DeleteAsync(id));
    }
}
