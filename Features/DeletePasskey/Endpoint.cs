using FastEndpoints;
using SliceAuth.Accounts;
using SliceAuth.Audit;
using SliceAuth.Auth;
using SliceAuth.Data;
using SliceAuth.Email;

namespace SliceAuth.Features.DeletePasskey;

public sealed class Endpoint(IPasskeyStore passkeys, IAccountStore accounts, AuditLog audit, AccountMail mail) : EndpointWithoutRequest
{
    public override void Configure()
    {
        Delete("/me/passkeys/{id}");
        Description(d => d.ProducesProblem(StatusCodes.Status404NotFound));
        Summary(s =>
        {
            s.Summary = "Remove one of the account's passkeys";
            s.Params["id"] = "The passkey's id from GET /me/passkeys.";
            s.Responses[204] = "Removed; it can no longer log in, and the account's owner is mailed a notice.";
            s.Responses[404] = "The account has no passkey with that id.";
        });
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        var accountId = User.UserId();
        // The name is for the notice; another account's passkey is "not found" too: none of this caller's business.
        var passkey = Guid.TryParse(Route<string>("id"), out var id)
            ? (await passkeys.ListByAccountAsync(accountId)).FirstOrDefault(p => p.Id == id)
            : null;
        if (passkey is null || !await passkeys.DeleteAsync(accountId, passkey.Id))
        {
            await Send.ResultAsync(TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such passkey."));
            return;
        }

        audit.PasskeyRemoved(Usernames.Key(User.Username()), HttpContext.ClientAddress(), User.SessionHandle(), passkey.Id);
        if (await accounts.FindByIdAsync(accountId) is { } account) mail.PasskeyRemoved(account, passkey.Name);
        await Send.NoContentAsync(ct);
    }
}
