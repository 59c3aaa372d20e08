using SliceAuth.Auth;
using SliceAuth.Data;

namespace SliceAuth.TwoFactor;

/// <summary>
/// Every check of a second factor (the login's code step, replacing the codes, turning TOTP off) goes through
/// here: one throttle count per account under "2fa:" + its key, kept apart from the password's count so a right
/// password does not reset the code count. As with passwords, a place is reserved before the check, so however
/// many guesses arrive at once only MaxFailures of them can fail. A code counts as right only once the store
/// has consumed it with what it authorises (<paramref name="commit"/>): a replay or a lost race is a failure.
/// </summary>
public sealed class SecondFactorCheck(ILoginThrottle throttle, TotpSecrets secrets, TotpCodes codes)
{
    public enum Outcome { Valid, Invalid, Throttled }

    public readonly record struct Result(Outcome Outcome, TimeSpan RetryAfter = default, bool ByRecoveryCode = false);

    public static string ThrottleKey(string usernameKey) => "2fa:" + usernameKey;

    /// <summary>
    /// Checks <paramref name="code"/> (six digits: TOTP; anything else: a recovery code) against the enabled factor
    /// and, if it matches, runs <paramref name="commit"/> with the proof; valid only when the commit says true.
    /// </summary>
    public async Task<Result> CheckAsync(string usernameKey, SecondFactor factor, string code, Func<SecondFactorProof, Task<bool>> commit)
    {
        var key = ThrottleKey(usernameKey);
        if (await throttle.TryReserveAsync(key) is { } wait) return new Result(Outcome.Throttled, wait);

        bool committed;
        SecondFactorProof? proof;
        try
        {
            proof = ProofOf(factor, code);
            committed = proof is { } p && await commit(p);
        }
        catch
        {
            await throttle.ReleaseAsync(key); // no verdict (storage fault): not a failure
            throw;
        }
        if (!committed)
        {
            await throttle.RecordFailureAsync(key);
            return new Result(Outcome.Invalid);
        }
        await throttle.ResetAsync(key);
        return new Result(Outcome.Valid, ByRecoveryCode: proof!.Value.RecoveryCodeHash is not null);
    }

    private SecondFactorProof? ProofOf(SecondFactor factor, string code)
    {
        if (factor.ProtectedSecret is null) return null;
        if (TotpCodes.IsCodeShape(code))
            return codes.Match(secrets.Unprotect(factor.ProtectedSecret), code, factor.LastAcceptedStep) is { } step
                ? SecondFactorProof.Totp(step)
                : null;
        return RecoveryCodes.Match(code, factor.RecoveryCodeHashes) is { } hash ? SecondFactorProof.RecoveryCode(hash) : null;
    }
}
