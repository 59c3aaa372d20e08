using FastEndpoints;
using SliceAuth.Audit;
using SliceAuth.Auth;
using SliceAuth.Data;
using SliceAuth.Email;
using SliceAuth.OpenApi;
using SliceAuth.TwoFactor;

namespace SliceAuth.Features.ReplaceRecoveryCodes;

public sealed class Endpoint(FactorChange change, ISecondFactorStore secondFactors, AuditLog audit, AccountMail mail) : Endpoint<Request, Response>
{
    public override void Configure()
    {
        Post("/me/2fa/recovery-codes");
        Description(d => d.ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status429TooManyRequests));
        Summary(s =>
        {
            s.Summary = "Replace the recovery codes; every other session is logged out";
            s.Description = "Needs the current password and a code (from the app, or a recovery code). The old codes die; the account's address gets a notice.";
            s.Responses[200] = "Ten new recovery codes, shown this once.";
            s.Responses[400] = "The password (on password) or the code (on code) is wrong, or the code was used already.";
            s.Responses[409] = "TOTP is off.";
            s.Responses[429] = "Too many wrong passwords or codes for this account; see Retry-After.";
            s.Responses[503] = "Too busy checking passwords, or storage is unavailable for a moment; see Retry-After.";
            s.ExampleRequest = new Request { Password = ExampleAccount.Password, Code = "123456" };
        });
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        var (shown, hashes) = RecoveryCodes.Create();
        var handle = User.SessionHandle();
        var result = await change.RunAsync(User, req.Password, req.Code, (user, proof) =>
            secondFactors.ReplaceRecoveryCodesAsync(user.Id, user.CredentialStamp, Guid.NewGuid(), proof, hashes, handle ?? ""));
        if (result.FieldError is { } wrong) ThrowError(wrong);
        if (result.Problem(HttpContext) is { } problem)
        {
            await Send.ResultAsync(problem);
            return;
        }

        audit.RecoveryCodesReplaced(result.UsernameKey, HttpContext.ClientAddress(), handle);
        mail.RecoveryCodesReplaced(result.User!);
        await Send.OkAsync(new Response { RecoveryCodes = shown }, ct);
    }
}
