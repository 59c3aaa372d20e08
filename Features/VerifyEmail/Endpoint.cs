using FastEndpoints;
using SliceAuth.Accounts;
using SliceAuth.Audit;
using SliceAuth.Data;
using SliceAuth.Email;
using SliceAuth.Hardening;

namespace SliceAuth.Features.VerifyEmail;

public sealed class Endpoint(IEmailTokenStore tokens, IAccountStore accounts, TimeProvider clock, AccountMail mail, AuditLog audit) : Endpoint<Request>
{
    public override void Configure()
    {
        Post("/email/verify");
        AllowAnonymous();
        Options(route => route.RequireRateLimiting(ClientRateLimits.Tokens));
        Description(d => d.ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status429TooManyRequests));
        Summary(s =>
        {
            s.Summary = "Verify an address with the token from a mailed link";
            s.Description = "The token from a verification mail marks the account's address verified; the token from an " +
                "email-change mail makes the new address the account's (verified) and tells the old address. Single use.";
            s.Responses[204] = "Verified (or changed).";
            s.Responses[400] = "The token is wrong, used or expired (one answer for all three).";
            s.Responses[409] = "The new address was registered by another account meanwhile.";
            s.Responses[429] = "Too many tokens tried from this client; see Retry-After.";
            s.Responses[503] = "Storage is unavailable for a moment; see Retry-After.";
            s.ExampleRequest = new Request { Token = "the-token-from-the-mailed-link" };
        });
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        // Consumed in the same commit as the change it authorises: of many requests with one token, one wins.
        var redeemed = await tokens.RedeemEmailTokenAsync(MailedTokens.IdOf(req.Token), clock.GetUtcNow().UtcDateTime);
        switch (redeemed.Result)
        {
            case EmailRedemption.Outcome.Verified:
                audit.EmailVerified(redeemed.Before!.UsernameKey, HttpContext.ClientAddress());
                break;
            case EmailRedemption.Outcome.Changed:
                audit.EmailChanged(redeemed.Before!.UsernameKey, HttpContext.ClientAddress());
                // The notice goes to the address that was replaced, naming the account as it is now.
                if (await accounts.FindByIdAsync(redeemed.Before.Id) is { } changed) mail.EmailChanged(changed, redeemed.Before.Email);
                break;
            case EmailRedemption.Outcome.EmailTaken:
                await Send.ResultAsync(TypedResults.Problem(statusCode: StatusCodes.Status409Conflict,
                    title: "That address now belongs to another account.", detail: "Ask for a change to another address."));
                return;
            default:
                audit.TokenRejected("email", HttpContext.ClientAddress());
                await Send.ResultAsync(TokenProblems.Invalid());
                return;
        }
        await Send.NoContentAsync(ct);
    }
}
