using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;

namespace SliceAuth.Auth;

/// <summary>
/// Starts sessions and sets their cookie. Done here rather than through SignInAsync because the cookie
/// handler, when the request already carries a session, renews that session's key instead of storing a new
/// one: a login or a password change must always hand out a fresh token.
/// </summary>
public sealed class SessionCookies(SessionStore store, IOptionsMonitor<CookieAuthenticationOptions> cookieOptions)
{
    /// <summary>Creates the session, sets its cookie on the response, returns the session's public handle.</summary>
    public string Start(HttpContext http, Guid userId, string username)
    {
        var session = store.Start(userId, username, http);
        var options = cookieOptions.Get(AuthSetup.Scheme);
        options.CookieManager.AppendResponseCookie(http, options.Cookie.Name!, session.Token, options.Cookie.Build(http));
        return session.Handle;
    }
}
