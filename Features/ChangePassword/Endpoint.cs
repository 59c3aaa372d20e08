using FastEndpoints;
using FluentValidation.Results;
using Microsoft.AspNetCore.Authentication;
using SliceAuth.Accounts;
using SliceAuth.Audit;
using SliceAuth.Auth;
using SliceAuth.Email;
using SliceAuth.OpenApi;
using SliceAuth.Problems;

namespace SliceAuth.Features.ChangePassword;

public sealed class Endpoint(PasswordCheck passwords, IPasswordHasher hasher, SessionStore sessionStore, SessionCookies cookies,
    AccountMail mail, AuditLog audit) : Endpoint<Request>
{
    public override void Configure()
    {
        Post("/me/password");
        Description(d => d.ProducesProblem(StatusCodes.Status429TooManyRequests));
        Summary(s =>
        {
            s.Summary = "Change the password; every other session is logged out";
            s.Description = "Needs the current password. The current session is replaced by a new one (a new cookie). Outstanding reset and email-change links die; the account's address gets a notice.";
            s.Responses[204] = "Changed; other sessions revoked; the response sets the new session cookie.";
            s.Responses[400] = "The current password is wrong (on currentPassword), or the new one breaks the policy (on newPassword).";
            s.Responses[429] = "Too many wrong passwords for this account; see Retry-After.";
            s.Responses[503] = "Too busy checking passwords, or storage is unavailable for a moment; see Retry-After.";
            s.ExampleRequest = new Request { CurrentPassword = ExampleAccount.Password, NewPassword = ExampleAccount.NewPassword };
        });
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        var (check, user, usernameKey) = await passwords.CheckSessionAccountAsync(User, req.CurrentPassword);
        if (check.Outcome == PasswordCheck.Outcome.Throttled)
        {
            await Send.ResultAsync(ApiProblems.TooManyRequests(HttpContext, check.RetryAfter, "Too many wrong passwords for this account."));
            return;
        }
        if (check.Outcome == PasswordCheck.Outcome.Invalid) AddError(new ValidationFailure("currentPassword", "The current password is wrong."));
        foreach (var problem in PasswordPolicy.Problems(req.NewPassword, user?.Username, user?.Email))
            AddError(new ValidationFailure("newPassword", problem));
        ThrowIfAnyErrors();

        // In one write, and only if the password is still the one just verified: the new password, every
        // session of the account ended (perhaps the reason for the change), and a new one for this caller.
        var newHash = await hasher.HashAsync(req.NewPassword);
        if (await sessionStore.ChangePasswordAsync(user!, newHash, HttpContext) is not { } session)
        {
            // Another change or a deletion committed meanwhile and ended this caller's session with the rest.
            await HttpContext.SignOutAsync(AuthSetup.Scheme);
            await Send.ResultAsync(TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Authentication required.",
                detail: "The password was changed or the account deleted meanwhile; log in again."));
            return;
        }
        var handle = cookies.Set(HttpContext, session);
        audit.PasswordChanged(usernameKey, HttpContext.ClientAddress(), handle);
        mail.PasswordChanged(user!);
        await Send.NoContentAsync(ct);
    }
}
