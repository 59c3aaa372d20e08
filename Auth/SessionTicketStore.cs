using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace SliceAuth.Auth;

/// <summary>
/// The cookie handler's view of <see cref="SessionStore"/> (<see cref="ITicketStore"/>). Sign-in goes through
/// StartVerifiedAsync and SessionCookies.Set instead (the handler would re-use a presented session's key), so
/// StoreAsync serves only callers of SignInAsync.
/// </summary>
public sealed class SessionTicketStore(SessionStore sessions) : ITicketStore
{
    public Task<string> StoreAsync(AuthenticationTicket ticket) => StoreAsync(ticket, null);

    public Task<string> StoreAsync(AuthenticationTicket ticket, CancellationToken cancellationToken) => StoreAsync(ticket, null);

    public Task<string> StoreAsync(AuthenticationTicket ticket, HttpContext httpContext, CancellationToken cancellationToken) =>
        StoreAsync(ticket, (HttpContext?)httpContext);

    private async Task<string> StoreAsync(AuthenticationTicket ticket, HttpContext? http) =>
        (await sessions.StartAsync(ticket.Principal.UserId(), ticket.Principal.Username(), http)).Token;

    public Task<AuthenticationTicket?> RetrieveAsync(string key) => sessions.RetrieveAsync(key, null);

    public Task<AuthenticationTicket?> RetrieveAsync(string key, CancellationToken cancellationToken) => RetrieveAsync(key);

    public async Task<AuthenticationTicket?> RetrieveAsync(string key, HttpContext httpContext, CancellationToken cancellationToken)
    {
        if (httpContext.GetEndpoint()?.Metadata.GetMetadata<StartsNewSession>() is null)
            return await sessions.RetrieveAsync(key, httpContext);

        await sessions.RemoveAsync(key);
        return null;
    }

    // Sliding expiration is done in SessionStore.RetrieveAsync; the cookie handler's own renewal is switched off.
    public Task RenewAsync(string key, AuthenticationTicket ticket) => Task.CompletedTask;

    public Task RemoveAsync(string key) => sessions.RemoveAsync(key);

    public Task RemoveAsync(string key, CancellationToken cancellationToken) => RemoveAsync(key);

    public Task RemoveAsync(string key, HttpContext httpContext, CancellationToken cancellationToken) => RemoveAsync(key);
}
