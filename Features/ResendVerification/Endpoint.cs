using FastEndpoints;
using Microsoft.AspNetCore.Authentication;
using SliceAuth.Accounts;
using SliceAuth.Audit;
using SliceAuth.Auth;
using SliceAuth.Data;

namespace SliceAuth.Features.ResendVerification;

public sealed class Endpoint(IAccountStore accounts, AddressVerification verification) : EndpointWithoutRequest
{
    public override void Configure()
    {
        Post("/me/email/verification");
        Description(d => d.ClearDefaultProduces(StatusCodes.Status200OK).Produces(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status409Conflict));
        Summary(s =>
        {
            s.Summary = "Mail a new verification link to the account's address";
            s.Description = "Earlier links keep working until they expire. At most Accounts:MailsPerAddress mails per address " +
                "and Accounts:MailsPerClient per client within Accounts:MailWindow; past that the answer is the same and no mail goes out.";
            s.Responses[202] = "Accepted; a mail is on its way unless a limit was reached.";
            s.Responses[409] = "The address is already verified.";
            s.Responses[503] = "Storage is unavailable for a moment; see Retry-After.";
        });
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        if (await accounts.FindByIdAsync(User.UserId()) is not { } user)
        {
            await HttpContext.SignOutAsync(AuthSetup.Scheme);
            await Send.ResultAsync(TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Authentication required."));
            return;
        }
        if (user.EmailVerified)
        {
            await Send.ResultAsync(TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The address is already verified."));
            return;
        }
        await verification.SendAsync(user, HttpContext.ClientAddress());
        await Send.StatusCodeAsync(StatusCodes.Status202Accepted, ct);
    }
}
