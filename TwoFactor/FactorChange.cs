using System.Security.Claims;
using FluentValidation.Results;
using SliceAuth.Auth;
using SliceAuth.Data;
using SliceAuth.Problems;

namespace SliceAuth.TwoFactor;

/// <summary>
/// What replacing the recovery codes and turning TOTP off share: the session's account proves itself again with the
/// password (the login's throttle) and a second factor (the code throttle), and the change commits with the proof.
/// </summary>
public sealed class FactorChange(PasswordCheck passwords, ISecondFactorStore secondFactors, SecondFactorCheck check, SessionStore sessionStore)
{
    public enum Outcome { Done, PasswordThrottled, PasswordWrong, NotEnabled, CodeThrottled, CodeWrong }

    public readonly record struct Result(Outcome Outcome, User? User, string UsernameKey, TimeSpan RetryAfter = default)
    {
        /// <summary>A wrong password or code: the field's message for a 400 problem (the endpoint throws it).</summary>
        public ValidationFailure? FieldError => Outcome switch
        {
            Outcome.PasswordWrong => new ValidationFailure("password", "The password is wrong."),
            Outcome.CodeWrong => new ValidationFailure("code", "The code is wrong or was used already."),
            _ => null,
        };

        /// <summary>Any other refusal as a problem: 429 with Retry-After, or 409 when TOTP is off.</summary>
        public IResult? Problem(HttpContext http) => Outcome switch
        {
            Outcome.PasswordThrottled => ApiProblems.TooManyRequests(http, RetryAfter, "Too many wrong passwords for this account."),
            Outcome.CodeThrottled => ApiProblems.TooManyRequests(http, RetryAfter, "Too many wrong codes for this account."),
            Outcome.NotEnabled => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "TOTP is off."),
            _ => null,
        };
    }

    /// <summary>
    /// Runs <paramref name="write"/> (given the account as verified and the proof) once password and code are right;
    /// the write deletes every session of the account but the caller's, and the cache forgets them.
    /// </summary>
    public async Task<Result> RunAsync(ClaimsPrincipal session, string password, string code, Func<User, SecondFactorProof, Task<bool>> write)
    {
        var (passwordCheck, user, usernameKey) = await passwords.CheckSessionAccountAsync(session, password);
        if (passwordCheck.Outcome == PasswordCheck.Outcome.Throttled)
            return new Result(Outcome.PasswordThrottled, user, usernameKey, passwordCheck.RetryAfter);
        if (passwordCheck.Outcome == PasswordCheck.Outcome.Invalid) return new Result(Outcome.PasswordWrong, user, usernameKey);

        if (await secondFactors.FindAsync(user!.Id) is not { Enabled: true } factor) return new Result(Outcome.NotEnabled, user, usernameKey);

        var handle = session.SessionHandle();
        var codeCheck = await check.CheckAsync(usernameKey, factor, code,
            proof => sessionStore.EndingOtherSessionsAsync(user.Id, handle, () => write(user, proof)));
        return codeCheck.Outcome switch
        {
            SecondFactorCheck.Outcome.Throttled => new Result(Outcome.CodeThrottled, user, usernameKey, codeCheck.RetryAfter),
            SecondFactorCheck.Outcome.Invalid => new Result(Outcome.CodeWrong, user, usernameKey),
            _ => new Result(Outcome.Done, user, usernameKey),
        };
    }
}
