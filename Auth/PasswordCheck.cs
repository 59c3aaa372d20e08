using SliceAuth.Data;

namespace SliceAuth.Auth;

/// <summary>
/// Every password check of an account (login, password change, account deletion) goes through here, so the
/// per-account throttle counts them all and an unknown account costs the same bcrypt work as a known one.
/// </summary>
public sealed class PasswordCheck(PasswordHasher hasher, LoginThrottle throttle)
{
    public enum Outcome { Valid, Invalid, Throttled }

    public readonly record struct Result(Outcome Outcome, TimeSpan RetryAfter = default);

    public Result Check(string accountKey, User? user, string password)
    {
        // Checked before bcrypt, identically for known and unknown names.
        if (throttle.RetryAfter(accountKey) is { } wait) return new Result(Outcome.Throttled, wait);

        var valid = user is not null ? hasher.Verify(password, user.PasswordHash) : Decoy(password);
        if (!valid)
        {
            throttle.RecordFailure(accountKey);
            return new Result(Outcome.Invalid);
        }
        throttle.Reset(accountKey);
        return new Result(Outcome.Valid);
    }

    private bool Decoy(string password)
    {
        hasher.VerifyDecoy(password); // an unknown name costs the same bcrypt work as a wrong password
        return false;
    }
}
