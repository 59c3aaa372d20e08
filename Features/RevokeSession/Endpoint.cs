using FastEndpoints;
using Microsoft.AspNetCore.Authentication;
using SliceAuth.Accounts;
using SliceAuth.Audit;
using SliceAuth.Auth;
using SliceAuth.Metrics;

namespace SliceAuth.Features.RevokeSession;

public sealed class Endpoint(SessionStore sessions, AuditLog audit, SliceAuthMetrics metrics) : EndpointWithoutRequest
{
    public override void Configure()
    {
        Delete("/me/sessions/{id}");
        Description(d => d.ProducesProblem(StatusCodes.Status404NotFound));
        Summary(s =>
        {
            s.Summary = "Revoke one of the account's sessions (a lost device), the current one too";
            s.Params["id"] = "The session's id from GET /me/sessions.";
            s.Responses[204] = "The session is revoked; its cookie no longer works.";
            s.Responses[404] = "No live session of this account has that id.";
        });
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        var handle = Route<string>("id")!;
        // Another account's session is "not found" too: its existence is none of this caller's business.
        if (!await sessions.RevokeAsync(User.UserId(), handle))
        {
            await Send.ResultAsync(TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such session."));
            return;
        }

        audit.SessionsRevoked(Usernames.Key(User.Username()), HttpContext.ClientAddress(), User.SessionHandle(), handle);
        metrics.SessionsEnded(SessionEndReason.Revoked);
        if (handle == User.SessionHandle()) await HttpContext.SignOutAsync(AuthSetup.Scheme); // clear the dead cookie
        await Send.NoContentAsync(ct);
    }
}
