using FastEndpoints;
using Microsoft.Extensions.Options;
using SliceAuth.Auth;

namespace SliceAuth.Features.ForwardAuth;

/// <summary>
/// For reverse proxies (nginx auth_request, Traefik ForwardAuth, Caddy forward_auth): asked about every request of
/// the application behind them, it answers from the session cookie of that request. The cookie handler has already
/// found (and slid) the session before this runs, exactly as for /protected; nothing else is read.
/// </summary>
public sealed class Endpoint(IOptions<ForwardAuthOptions> options, LoginRedirects redirects) : EndpointWithoutRequest
{
    public override void Configure()
    {
        Get("/auth/verify");
        // The handler answers the 401 itself, so that it can carry the login location.
        AllowAnonymous();
        Description(d => d.Produces(StatusCodes.Status200OK).ProducesProblem(StatusCodes.Status401Unauthorized));
        Summary(s =>
        {
            s.Summary = "For a reverse proxy: is the request's session live? The user comes back in response headers";
            s.Description = "Asked by nginx auth_request, Traefik ForwardAuth or Caddy forward_auth with the cookie of each request to the " +
                "application behind them; a session is touched like any authenticated request. README: \"In front of other applications\".";
            s.Responses[200] = "A live session (its idle timeout slid): empty body; the user's id in X-Auth-User-Id and the " +
                "username, percent-encoded UTF-8, in X-Auth-Username (names set by ForwardAuth:UserIdHeader and :UsernameHeader).";
            s.Responses[401] = "No live session. With ForwardAuth:LoginUrl set, Location names the login page, with rd=<the " +
                "original URL from X-Original-URL or X-Forwarded-Proto/-Host/-Uri> when that URL is on an allowed host.";
        });
    }

    public override Task HandleAsync(CancellationToken ct)
    {
        if (User.Identity?.IsAuthenticated == true)
        {
            var o = options.Value;
            var headers = HttpContext.Response.Headers;
            headers[o.UserIdHeader] = User.UserId().ToString();
            // Usernames are letters of any script; a header value is ASCII. Percent-encoding leaves ASCII names as they are.
            headers[o.UsernameHeader] = Uri.EscapeDataString(User.Username());
            return Send.OkAsync(ct);
        }

        if (redirects.For(HttpContext.Request) is { } location) HttpContext.Response.Headers.Location = location;
        return Send.ResultAsync(TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Authentication required.",
            detail: "Log in to get a session cookie."));
    }
}
