using FastEndpoints;
using FluentValidation.Results;
using SliceAuth.Audit;
using SliceAuth.Auth;
using SliceAuth.Data;
using SliceAuth.OpenApi;
using SliceAuth.Problems;
using SliceAuth.TwoFactor;

namespace SliceAuth.Features.StartTotpEnrolment;

public sealed class Endpoint(PasswordCheck passwords, ISecondFactorStore secondFactors, TotpSecrets secrets, AuditLog audit)
    : Endpoint<Request, Response>
{
    public override void Configure()
    {
        Post("/me/2fa/totp");
        Description(d => d.ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status429TooManyRequests));
        Summary(s =>
        {
            s.Summary = "Start turning on TOTP: a new secret for an authenticator app";
            s.Description = "Needs the current password. Nothing is enabled yet: POST /me/2fa/totp/confirm with a code from the app does that. " +
                "A new call replaces an unconfirmed secret.";
            s.Responses[200] = "The secret (base32), its otpauth:// URI and the URI as an SVG QR code; shown this once.";
            s.Responses[400] = "The password is wrong (on password).";
            s.Responses[409] = "TOTP is already on; turn it off first (DELETE /me/2fa).";
            s.Responses[429] = "Too many wrong passwords for this account; see Retry-After.";
            s.Responses[503] = "Too busy checking passwords, or storage is unavailable for a moment; see Retry-After.";
            s.ExampleRequest = new Request { Password = ExampleAccount.Password };
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

        var (base32, protectedSecret) = secrets.Create();
        if (!await secondFactors.SetPendingSecretAsync(user!.Id, protectedSecret))
        {
            await Send.ResultAsync(TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "TOTP is already on.",
                detail: "Turn it off first (DELETE /me/2fa) to enrol another authenticator."));
            return;
        }
        audit.TotpEnrolmentStarted(usernameKey, HttpContext.ClientAddress(), User.SessionHandle());
        var uri = secrets.OtpAuthUri(user.Username, base32);
        await Send.OkAsync(new Response { Secret = base32, OtpauthUri = uri, QrCodeSvg = TotpSecrets.QrCodeSvg(uri) }, ct);
    }
}
