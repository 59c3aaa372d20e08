using FastEndpoints;
using SliceAuth.Auth;

namespace SliceAuth.Features.Protected;

public sealed class Endpoint : EndpointWithoutRequest<Response>
{
    public override void Configure()
    {
        Get("/protected");
        Summary(s =>
        {
            s.Summary = "A route only a session can reach; answers with the session's username";
            s.Responses[200] = "The caller has a live session.";
        });
    }

    public override Task HandleAsync(CancellationToken ct) =>
        Send.OkAsync(new Response
        {
            Message = "You are logged in.",
            Username = User.Username(), // read from the session, not from the database
        }, ct);
}
