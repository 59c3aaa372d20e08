using FastEndpoints;
using FluentValidation.Results;
using Microsoft.AspNetCore.Authentication;
using SliceAuth.Accounts;
using SliceAuth.Audit;
using SliceAuth.Auth;
using SliceAuth.Data;
using SliceAuth.Email;
using SliceAuth.OpenApi;
using SliceAuth.Problems;

namespace SliceAuth.Features.ChangeEmail;

public sealed class Endpoint(PasswordCheck passwords, IAccountStore accounts, MailAllowance allowance, MailedTokens tokens,
    AccountMail mail, AuditLog audit) : Endpoint<Request>
{
    public override void Configure()
    {
        Post("/me/email");
        Description(d => d.ClearDefaultProduces(StatusCodes.Status200OK).Produces(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status429TooManyRequests));
        Summary(s =>
        {
            s.Summary = "Change the account's address: it changes when the link mailed to the new address is opened";
            s.Description = "Needs the current password. The new address receives a link (POST /email/verify with its token) " +
                "that works for Accounts:VerificationTokenLifetime and dies if the password changes first; the old address " +
                "is told once the change is made. Limited like verification mails.";
            s.Responses[202] = "Accepted; a confirmation mail is on its way to the new address unless a limit was reached.";
            s.Responses[400] = "The password is wrong (on password), or the new address is invalid or already the account's (on newEmail).";
            s.Responses[409] = "Another account has that address.";
            s.Responses[429] = "Too many wrong passwords for this account; see Retry-After.";
            s.Responses[503] = "Too busy checking passwords, or storage is unavailable for a moment; see Retry-After.";
            s.ExampleRequest = new Request { Password = ExampleAccount.Password, NewEmail = "alice@example.org" };
        });
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        var (check, user, usernameKey) = await passwords.CheckSessionAccountAsync(User, req.Password);
        if (check.Outcome == PasswordCheck.Outcome.Throttled)
        {
            await Send.ResultAsync(ApiProblems.TooManyRequests(HttpContext, check.RetryAfter, "Too many wrong passwords for this account."));
            return;
        }
        if (check.Outcome == PasswordCheck.Outcome.Invalid) ThrowError(new ValidationFailure("password", "The password is wrong."));

        var newKey = Emails.Key(req.NewEmail);
        if (newKey == user!.EmailKey) ThrowError(new ValidationFailure("newEmail", "That is already the account's address."));
        // As registration answers: an address is never shared. The confirmation re-checks it, in the same commit as the change.
        if (await accounts.FindByEmailKeyAsync(newKey) is not null)
        {
            await Send.ResultAsync(TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Email already registered.",
                detail: "Choose another address."));
            return;
        }

        if (!await allowance.TryTakeAsync(newKey, HttpContext.ClientAddress()))
        {
            audit.MailSuppressed("email change", HttpContext.ClientAddress());
            await Send.StatusCodeAsync(StatusCodes.Status202Accepted, ct);
            return;
        }
        if (await tokens.IssueAsync(user, EmailTokenPurpose.ChangeEmail, req.NewEmail) is not { } token)
        {
            // The account was deleted meanwhile, and this session with it.
            await HttpContext.SignOutAsync(AuthSetup.Scheme);
            await Send.ResultAsync(TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Authentication required."));
            return;
        }
        mail.ConfirmNewAddress(user, Emails.Clean(req.NewEmail), token);
        audit.EmailChangeRequested(usernameKey, HttpContext.ClientAddress());
        await Send.StatusCodeAsync(StatusCodes.Status202Accepted, ct);
    }
}
