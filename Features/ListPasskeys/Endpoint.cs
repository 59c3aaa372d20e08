using FastEndpoints;
using SliceAuth.Auth;
using SliceAuth.Data;

namespace SliceAuth.Features.ListPasskeys;

public sealed class Endpoint(IPasskeyStore passkeys) : EndpointWithoutRequest<List<Response>>
{
    public override void Configure()
    {
        Get("/me/passkeys");
        Summary(s =>
        {
            s.Summary = "The account's passkeys, oldest first";
            s.Responses[200] = "Id, name, when added and when last used to log in.";
        });
    }

    public override async Task HandleAsync(CancellationToken ct) =>
        await Send.OkAsync((await passkeys.ListByAccountAsync(User.UserId())).Select(p => new Response
        {
            Id = p.Id,
            Name = p.Name,
            CreatedAt = p.CreatedAt,
            LastUsedAt = p.LastUsedAt,
        }).ToList(), ct);
}
