using FastEndpoints;
using FluentValidation.Results;
using SliceAuth.Audit;
using SliceAuth.Auth;
using SliceAuth.Data;
using SliceAuth.Email;
using SliceAuth.TwoFactor;

namespace SliceAuth.Features.ConfirmTotp;

public sealed class Endpoint(IAccountStore accounts, ISecondFactorStore secondFactors, TotpSecrets secrets, TotpCodes codes,
    SessionStore sessionStore, AuditLog audit, AccountMail mail) : Endpoint<Request, Response>
{
    public override void Configure()
    {
        Post("/me/2fa/totp/confirm");
        Description(d => d.ProducesProblem(StatusCodes.Status409Conflict));
        Summary(s =>
        {
            s.Summary = "Turn on TOTP with a code from the app; every other session is logged out";
            s.Description = "Proves the app holds the secret from POST /me/2fa/totp. From then on a login needs a code too. " +
                "The account's address gets a notice.";
            s.Responses[200] = "TOTP is on; ten recovery codes, shown this once.";
            s.Responses[400] = "The code is not the app's current one for the new secret (on code).";
            s.Responses[409] = "No enrolment was started, TOTP is already on, or the account changed meanwhile; start again.";
            s.ExampleRequest = new Request { Code = "123456" };
        });
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        var user = await accounts.FindByIdAsync(User.UserId());
        var factor = user is null ? null : await secondFactors.FindAsync(user.Id);
        if (user is null || factor is not { Enabled: false, PendingSecret: { } pendingSecret })
        {
            await Send.ResultAsync(Conflict());
            return;
        }
        // The session already proves who this is; the code proves the app has the secret, nothing to throttle.
        var step = codes.Match(secrets.Unprotect(pendingSecret), req.Code, lastAcceptedStep: 0);
        if (step is null)
            ThrowError(new ValidationFailure("code", "The code does not match the new secret; check the app's clock and try the next code."));

        var (shown, hashes) = RecoveryCodes.Create();
        var handle = User.SessionHandle();
        // One commit: enabled with this step as used, the codes, a new stamp, every other session gone.
        if (!await sessionStore.EndingOtherSessionsAsync(user.Id, handle, () =>
                secondFactors.EnableAsync(user.Id, user.CredentialStamp, Guid.NewGuid(), pendingSecret, step.Value, hashes, handle ?? "")))
        {
            await Send.ResultAsync(Conflict());
            return;
        }
        audit.SecondFactorEnabled(user.UsernameKey, HttpContext.ClientAddress(), handle);
        mail.SecondFactorEnabled(user);
        await Send.OkAsync(new Response { RecoveryCodes = shown }, ct);
    }

    private static IResult Conflict() => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "No TOTP enrolment to confirm.",
        detail: "Start one with POST /me/2fa/totp (TOTP must be off, and the password unchanged since).");
}
