using System.Security.Claims;

namespace SliceAuth.Auth;

/// <summary>The claims a session gives its requests.</summary>
public static class SessionClaims
{
    public const string SessionHandleType = "sliceauth:session";

    public static ClaimsPrincipal For(Guid userId, string username, string? sessionHandle = null)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, userId.ToString()),
            new(ClaimTypes.Name, username),
        };
        if (sessionHandle is not null) claims.Add(new Claim(SessionHandleType, sessionHandle));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, AuthSetup.Scheme));
    }

    public static Guid UserId(this ClaimsPrincipal principal) =>
        Guid.Parse(principal.FindFirstValue(ClaimTypes.NameIdentifier)!);

    public static string Username(this ClaimsPrincipal principal) => principal.FindFirstValue(ClaimTypes.Name)!;

    public static string? SessionHandle(this ClaimsPrincipal principal) => principal.FindFirstValue(SessionHandleType);
}
