using FastEndpoints;
using Microsoft.AspNetCore.Authentication;
using SliceAuth.Accounts;
using SliceAuth.Audit;
using SliceAuth.Auth;
using SliceAuth.Metrics;

namespace SliceAuth.Features.Logout;

public sealed class Endpoint(AuditLog audit, SliceAuthMetrics metrics) : EndpointWithoutRequest
{
    public override void Configure()
    {
        Post("/logout");
        AllowAnonymous(); // logging out without a session is not an error
        Summary(s =>
        {
            s.Summary = "Log out: delete the session and clear the cookie";
            s.Responses[204] = "Logged out (also when there was no session).";
        });
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        // Deletes the server-side session (so a copied cookie is dead too) and expires the cookie.
        if (User.Identity?.IsAuthenticated == true)
        {
            audit.LoggedOut(Usernames.Key(User.Username()), HttpContext.ClientAddress(), User.SessionHandle());
            metrics.SessionsEnded(SessionEndReason.Logout);
        }
        await HttpContext.SignOutAsync(AuthSetup.Scheme);
        await Send.NoContentAsync(ct);
    }
}
