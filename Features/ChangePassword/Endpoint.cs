using FastEndpoints;
using FluentValidation.Results;
using SliceAuth.Accounts;
using SliceAuth.Audit;
using SliceAuth.Auth;
using SliceAuth.Data;
using SliceAuth.OpenApi;
using SliceAuth.Problems;

namespace SliceAuth.Features.ChangePassword;

public sealed class Endpoint(AppDatabase db, PasswordCheck passwords, PasswordHasher hasher, SessionStore sessionStore,
    SessionCookies sessions, AuditLog audit) : Endpoint<Request>
{
    public override void Configure()
    {
        Post("/me/password");
        Description(d => d.ProducesProblem(StatusCodes.Status429TooManyRequests));
        Summary(s =>
        {
            s.Summary = "Change the password; every other session is logged out";
            s.Description = "Needs the current password. The current session is replaced by a new one (a new cookie).";
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

        user!.PasswordHash = await hasher.HashAsync(req.NewPassword);
        db.Write(d => d.Users.Update(user));

        // Whoever else held a session (perhaps the reason for the change) is out; this caller gets a new one.
        sessionStore.RevokeAll(user.Id);
        var handle = sessions.Start(HttpContext, user.Id, user.Username);
        audit.PasswordChanged(usernameKey, HttpContext.ClientAddress(), handle);
        await Send.NoContentAsync(ct);
    }
}
