using FastEndpoints;
using SliceAuth.Audit;
using SliceAuth.Auth;
using SliceAuth.Data;
using SliceAuth.Email;
using SliceAuth.OpenApi;
using SliceAuth.TwoFactor;

namespace SliceAuth.Features.DisableSecondFactor;

public sealed class Endpoint(FactorChange change, ISecondFactorStore secondFactors, AuditLog audit, AccountMail mail) : Endpoint<Request>
{
    public override void Configure()
    {
        Delete("/me/2fa");
        Description(d => d.ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status429TooManyRequests));
        Summary(s =>
        {
            s.Summary = "Turn off TOTP; every other session is logged out";
            s.Description = "Needs the current password and a code (from the app, or a recovery code for a lost phone). " +
                "The secret and the recovery codes are deleted; the account's address gets a notice.";
            s.Responses[204] = "TOTP is off; a login needs only the password again.";
            s.Responses[400] = "The password (on password) or the code (on code) is wrong, or the code was used already.";
            s.Responses[409] = "TOTP is off already.";
            s.Responses[429] = "Too many wrong passwords or codes for this account; see Retry-After.";
            s.Responses[503] = "Too busy checking passwords, or storage is unavailable for a moment; see Retry-After.";
            s.ExampleRequest = new Request { Password = ExampleAccount.Password, Code = "123456" };
        });
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        var handle = User.SessionHandle();
        var result = await change.RunAsync(User, req.Password, req.Code, (user, proof) =>
            secondFactors.DisableAsync(user.Id, user.CredentialStamp, Guid.NewGuid(), proof, handle ?? ""));
        if (result.FieldError is { } wrong) ThrowError(wrong);
        if (result.Problem(HttpContext) is { } problem)
        {
            await Send.ResultAsync(problem);
            return;
        }

        audit.SecondFactorDisabled(result.UsernameKey, HttpContext.ClientAddress(), handle);
        mail.SecondFactorDisabled(result.User!);
        await Send.NoContentAsync(ct);
    }
}
