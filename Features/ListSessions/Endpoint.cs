using FastEndpoints;
using SliceAuth.Auth;

namespace SliceAuth.Features.ListSessions;

public sealed class Endpoint(SessionStore sessions) : EndpointWithoutRequest<List<Response>>
{
    public override void Configure()
    {
        Get("/me/sessions");
        Summary(s =>
        {
            s.Summary = "The account's live sessions (devices), newest first";
            s.Responses[200] = "Each live session; `current` marks the one this request came with.";
        });
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        var current = User.SessionHandle();
        await Send.OkAsync((await sessions.ListForAsync(User.UserId())).Select(s => new Response
        {
            Id = s.Handle,
            CreatedAt = s.CreatedAt,
            LastSeenAt = s.LastSeenAt,
            ExpiresAt = sessions.EffectiveExpiry(s),
            UserAgent = s.UserAgent,
            IpAddress = s.IpAddress,
            Current = s.Handle == current,
        }).ToList(), ct);
    }
}
