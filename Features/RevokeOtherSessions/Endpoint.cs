using FastEndpoints;
using SliceAuth.Accounts;
using SliceAuth.Audit;
using SliceAuth.Auth;
using SliceAuth.Metrics;

namespace SliceAuth.Features.RevokeOtherSessions;

public sealed class Endpoint(SessionStore sessions, AuditLog audit, SliceAuthMetrics metrics) : EndpointWithoutRequest
{
    public override void Configure()
    {
        Delete("/me/sessions");
        Summary(s =>
        {
            s.Summary = "Log out everywhere else: revoke every session of the account but this one";
            s.Responses[204] = "Every other session is revoked.";
        });
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        var current = User.SessionHandle();
        metrics.SessionsEnded(SessionEndReason.Revoked, await sessions.RevokeAllAsync(User.UserId(), exceptHandle: current));
        audit.SessionsRevoked(Usernames.Key(User.Username()), HttpContext.ClientAddress(), current, "all others");
        await Send.NoContentAsync(ct);
    }
}
