using FastEndpoints;
using FluentValidation.Results;
using SliceAuth.Accounts;
using SliceAuth.Audit;
using SliceAuth.Auth;
using SliceAuth.Data;
using SliceAuth.Email;
using SliceAuth.Hardening;
using SliceAuth.OpenApi;

namespace SliceAuth.Features.ResetPassword;

public sealed class Endpoint(IEmailTokenStore tokens, IAccountStore accounts, MailedTokens mailedTokens, IPasswordHasher hasher,
    SessionStore sessions, ILoginThrottle throttle, AccountMail mail, AuditLog audit) : Endpoint<Request>
{
    public override void Configure()
    {
        Post("/password/reset");
        AllowAnonymous();
        Options(route => route.RequireRateLimiting(ClientRateLimits.Tokens));
        Description(d => d.ProducesProblem(StatusCodes.Status429TooManyRequests));
        Summary(s =>
        {
            s.Summary = "Set a new password with the token from a reset mail; every session of the account ends";
            s.Description = "Single use. Also ends the account's run of failed logins, and mails a notice to the account's address.";
            s.Responses[204] = "The password was reset; log in with the new one.";
            s.Responses[400] = "The token is wrong, used or expired (one answer for all three), or the new password breaks the policy (on newPassword).";
            s.Responses[429] = "Too many tokens tried from this client; see Retry-After.";
            s.Responses[503] = "Too busy checking passwords, or storage is unavailable for a moment; see Retry-After.";
            s.ExampleRequest = new Request { Token = "the-token-from-the-mailed-link", NewPassword = ExampleAccount.NewPassword };
        });
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        var id = MailedTokens.IdOf(req.Token);
        if (await tokens.FindLiveAsync(id, mailedTokens.Now(), EmailTokenPurpose.ResetPassword) is not { } live
            || await accounts.FindByIdAsync(live.AccountId) is not { } user)
        {
            await RefuseToken();
            return;
        }
        foreach (var problem in PasswordPolicy.Problems(req.NewPassword, user.Username, user.Email))
            AddError(new ValidationFailure("newPassword", problem));
        ThrowIfAnyErrors();

        // In one write, and only if the token is still unused and the password still the one it was issued under:
        // the new password, every session of the account ended, every other reset link of it dead.
        var newHash = await hasher.HashAsync(req.NewPassword);
        if (await sessions.ResetPasswordAsync(live, newHash) is not { } before)
        {
            await RefuseToken();
            return;
        }
        // Whoever was guessing the old password has lost their reason to: the owner may log in at once.
        await throttle.ResetAsync(before.UsernameKey);
        audit.PasswordReset(before.UsernameKey, HttpContext.ClientAddress());
        mail.PasswordWasReset(before);
        await Send.NoContentAsync(ct);
    }

    private async Task RefuseToken()
    {
        audit.TokenRejected("password reset", HttpContext.ClientAddress());
        await Send.ResultAsync(TokenProblems.Invalid());
    }
}
