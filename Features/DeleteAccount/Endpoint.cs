using FastEndpoints;
using FluentValidation.Results;
using Microsoft.AspNetCore.Authentication;
using SliceAuth.Accounts;
using SliceAuth.Audit;
using SliceAuth.Auth;
using SliceAuth.Email;
using SliceAuth.OpenApi;
using SliceAuth.Problems;

namespace SliceAuth.Features.DeleteAccount;

public sealed class Endpoint(PasswordCheck passwords, SessionStore sessions, AccountMail mail, AuditLog audit) : Endpoint<Request>
{
    public override void Configure()
    {
        Delete("/me");
        Description(d => d.ProducesProblem(StatusCodes.Status429TooManyRequests));
        Summary(s =>
        {
            s.Summary = "Delete the account: every session ends, the username and email become free";
            s.Description = "Needs the password. The address gets a notice.";
            s.Responses[204] = "Deleted; the cookie is cleared.";
            s.Responses[400] = "The password is wrong (on password).";
            s.Responses[429] = "Too many wrong passwords for this account; see Retry-After.";
            s.Responses[503] = "Too busy checking passwords, or storage is unavailable for a moment; see Retry-After.";
            // The example follows ChangePassword's: executed in the document's order, the password is the new one by now.
            s.ExampleRequest = new Request { Password = ExampleAccount.NewPassword };
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

        // The account and its sessions in one write, and only if the password is still the one just verified.
        if (!await sessions.DeleteAccountAsync(user!))
        {
            // Another deletion or a password change committed meanwhile and ended this caller's session.
            await HttpContext.SignOutAsync(AuthSetup.Scheme);
            await Send.ResultAsync(TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Authentication required.",
                detail: "The password was changed or the account deleted meanwhile; log in again."));
            return;
        }
        audit.AccountDeleted(usernameKey, HttpContext.ClientAddress(), User.SessionHandle());
        mail.AccountDeleted(user!);
        await HttpContext.SignOutAsync(AuthSetup.Scheme);
        await Send.NoContentAsync(ct);
    }
}
