using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;

namespace SliceAuth.Auth;

/// <summary>
/// Sets the cookie of a session the store has just started. Done here rather than through SignInAsync because
/// the cookie handler, when the request already carries a session, renews that session's key instead of
/// storing a new one: a login or a password change must always hand out a fresh token.
/// </summary>
public sealed class SessionCookies(IOptionsMonitor<CookieAuthenticationOptions> cookieOptions)
{
    /// <summary>Sets the session's cookie on the response; returns the session's public handle.</summary>
    public string Set(HttpContext http, SessionStore.NewSession session)
    {
        var options = cookieOptions.Get(AuthSetup.Scheme);
        options.CookieManager.AppendResponseCookie(http, options.Cookie.Name!, session.Token, options.Cookie.Build(http));
        return session.Handle;
    }
}
