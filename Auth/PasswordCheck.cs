using System.Security.Claims;
using SliceAuth.Accounts;
using SliceAuth.Data;

namespace SliceAuth.Auth;

/// <summary>
/// Every password check of an account (login, password change, account deletion) goes through here, so the
/// per-account throttle counts them all and an unknown account costs the same bcrypt work as a known one.
/// </summary>
public sealed class PasswordCheck(IAccountStore accounts, IPasswordHasher hasher, ILoginThrottle throttle)
{
    public enum Outcome { Valid, Invalid, Throttled }

    public readonly record struct Result(Outcome Outcome, TimeSpan RetryAfter = default);

    public async Task<Result> CheckAsync(string accountKey, User? user, string password)
    {
        // A place in the account's count is taken before any bcrypt work, identically for known and unknown
        // names: checks still in flight count against the limit, so simultaneous guesses cannot overrun it.
        if (await throttle.TryReserveAsync(accountKey) is { } wait) return new Result(Outcome.Throttled, wait);

        bool valid;
        try
        {
            valid = user is not null ? await hasher.VerifyAsync(password, user.PasswordHash) : await DecoyAsync(password);
        }
        catch
        {
            await throttle.ReleaseAsync(accountKey); // no verdict (the hashing queue is full): not a failure
            throw;
        }
        if (!valid)
        {
            await throttle.RecordFailureAsync(accountKey);
            return new Result(Outcome.Invalid);
        }
        await throttle.ResetAsync(accountKey);
        return new Result(Outcome.Valid);
    }

    /// <summary>
    /// Re-checks the password of the account behind a session (password change, account deletion): the same
    /// throttle as login, so a stolen cookie is no way around the brute-force brake.
    /// </summary>
    public async Task<(Result Result, User? User, string AccountKey)> CheckSessionAccountAsync(ClaimsPrincipal session, string password)
    {
        var user = await accounts.FindByIdAsync(session.UserId());
        var accountKey = Usernames.Key(session.Username());
        return (await CheckAsync(accountKey, user, password), user, accountKey);
    }

    private async Task<bool> DecoyAsync(string password)
    {
        await hasher.VerifyDecoyAsync(password); // an unknown name costs the same bcrypt work as a wrong password
        return false;
    }
}
