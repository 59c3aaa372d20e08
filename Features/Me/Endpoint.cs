using FastEndpoints;
using Microsoft.AspNetCore.Authentication;
using SliceAuth.Auth;
using SliceAuth.Data;
using SliceAuth.Problems;

namespace SliceAuth.Features.Me;

public sealed class Endpoint(IAccountStore accounts, ISecondFactorStore secondFactors) : EndpointWithoutRequest<Response>
{
    public override void Configure()
    {
        Get("/me");
        Summary(s =>
        {
            s.Summary = "The logged-in account";
            s.Responses[200] = "The account behind the session.";
        });
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        var user = await accounts.FindByIdAsync(User.UserId());
        if (user is null)
        {
            // The account is gone: its session means nothing any more.
            await HttpContext.SignOutAsync(AuthSetup.Scheme);
            await Send.ResultAsync(TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Authentication required."));
            return;
        }

        var factor = await secondFactors.FindAsync(user.Id);
        await Send.OkAsync(new Response
        {
            Id = user.Id,
            Username = user.Username,
            Email = user.Email,
            EmailVerified = user.EmailVerified,
            CreatedAt = user.CreatedAt,
            TwoFactorEnabled = factor?.Enabled == true,
            RecoveryCodesLeft = factor?.Enabled == true ? factor.RecoveryCodeHashes.Count : 0,
        }, ct);
    }
}
