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
/// </summary>
public sealed class SessionStore(AppDatabase db, IOptions<AuthOptions> options, TimeProvider clock, AuditLog audit) : ITicketStore
{
    private readonly AuthOptions _options = options.Value;

    // Recording activity on every request would make each authenticated read a write; once per interval
    // is precise enough for a sliding idle timeout.
    private TimeSpan TouchInterval => TimeSpan.FromTicks(Math.Min(TimeSpan.FromMinutes(1).Ticks, _options.IdleTimeout.Ticks / 10));

    public Task<string> StoreAsync(AuthenticationTicket ticket) => StoreAsync(ticket, null);

    public Task<string> StoreAsync(AuthenticationTicket ticket, CancellationToken cancellationToken) => StoreAsync(ticket, null);

    public Task<string> StoreAsync(AuthenticationTicket ticket, HttpContext httpContext, CancellationToken cancellationToken) =>
        StoreAsync(ticket, (HttpContext?)httpContext);

    private Task<string> StoreAsync(AuthenticationTicket ticket, HttpContext? http)
    {
        var now = Now();
        var token = WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        var handle = WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(16));
        db.Sessions.Insert(new Session
        {
            Id = IdOf(token),
            Handle = handle,
            UserId = ticket.Principal.UserId(),
            Username = ticket.Principal.Username(),
            CreatedAt = now,
            LastSeenAt = now,
            ExpiresAt = now + _options.AbsoluteTimeout,
            UserAgent = Truncate(http?.Request.Headers.UserAgent.ToString(), 512),
            IpAddress = http?.Connection.RemoteIpAddress?.ToString(),
        });
        SessionClaims.SetHandle(ticket.Properties, handle);
        return Task.FromResult(token);
    }

    public Task<AuthenticationTicket?> RetrieveAsync(string key) => Task.FromResult(Retrieve(key, null));

    public Task<AuthenticationTicket?> RetrieveAsync(string key, CancellationToken cancellationToken) => RetrieveAsync(key);

    public Task<AuthenticationTicket?> RetrieveAsync(string key, HttpContext httpContext, CancellationToken cancellationToken)
    {
        if (httpContext.GetEndpoint()?.Metadata.GetMetadata<StartsNewSession>() is null)
            return Task.FromResult(Retrieve(key, httpContext));

        db.Sessions.Delete(IdOf(key));
        return Task.FromResult<AuthenticationTicket?>(null);
    }

    private AuthenticationTicket? Retrieve(string token, HttpContext? http)
    {
        var session = db.Sessions.FindById(IdOf(token));
        if (session is null) return null;

        var now = Now();
        if (ExpiryReason(session, now) is { } reason)
        {
            db.Sessions.Delete(session.Id);
            audit.SessionExpired(Usernames.Key(session.Username), http?.ClientAddress(), session.Handle, reason);
            return null;
        }
        if (now - session.LastSeenAt >= TouchInterval)
        {
            session.LastSeenAt = now;
            db.Sessions.Update(session); // Update, never upsert: a session deleted meanwhile stays deleted.
        }

        var properties = new AuthenticationProperties
        {
            IssuedUtc = session.CreatedAt,
            ExpiresUtc = session.ExpiresAt,
        };
        return new AuthenticationTicket(
            SessionClaims.For(session.UserId, session.Username, session.Handle), properties, AuthSetup.Scheme);
    }

    // Sliding expiration is done in Retrieve; the cookie handler's own renewal is switched off.
    public Task RenewAsync(string key, AuthenticationTicket ticket) => Task.CompletedTask;

    public Task RemoveAsync(string key)
    {
        db.Sessions.Delete(IdOf(key));
        return Task.CompletedTask;
    }

    public Task RemoveAsync(string key, CancellationToken cancellationToken) => RemoveAsync(key);

    public Task RemoveAsync(string key, HttpContext httpContext, CancellationToken cancellationToken) => RemoveAsync(key);

    /// <summary>Deletes every session past its idle or absolute limit; returns how many.</summary>
    public int PurgeExpired()
    {
        var now = Now();
        var idleCutoff = now - _options.IdleTimeout;
        var purged = db.Sessions.DeleteMany(s => s.ExpiresAt <= now || s.LastSeenAt <= idleCutoff);
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
