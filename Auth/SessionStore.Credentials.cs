using SliceAuth.Data;

namespace SliceAuth.Auth;

/// <summary>
/// The writes where an account's credentials and its sessions change together. Each is one atomic store
/// operation (<see cref="IAccountStore"/>) that goes ahead only if the account still exists with the
/// <see cref="User.CredentialStamp"/> that was read before the password was verified.
/// So a login, password change or deletion that overlapped another one either committed before it (and that
/// one's revocation removed its session) or finds the stamp changed and stores nothing.
/// </summary>
public sealed partial class SessionStore
{
    /// <summary>
    /// Starts a session for a login whose password was verified against <paramref name="verified"/>; null when
    /// the password changed or the account was deleted meanwhile. <paramref name="upgradedHash"/> (the same
    /// password at a higher work factor) is saved in the same write.
    /// </summary>
    public async Task<NewSession?> StartVerifiedAsync(User verified, HttpContext? http, string? upgradedHash = null)
    {
        var (session, started) = Prepare(verified.Id, verified.Username, http);
        if (!await accounts.TryStartSessionAsync(verified.Id, verified.CredentialStamp, session, upgradedHash)) return null;
        metrics.SessionStarted();
        return started;
    }

    /// <summary>
    /// Sets a new password, ends every session of the account and starts the caller's new one, in one write;
    /// null (nothing changed) when the password changed or the account was deleted since it was verified.
    /// </summary>
    public async Task<NewSession?> ChangePasswordAsync(User verified, string newHash, HttpContext? http)
    {
        var (session, started) = Prepare(verified.Id, verified.Username, http);
        var changed = await _cache.RemovingAsync(
            () => accounts.ChangePasswordAsync(verified.Id, verified.CredentialStamp, newHash, Guid.NewGuid(), session),
            cached => cached.Session.UserId == verified.Id && cached.Session.Id != session.Id);
        if (!changed) return null;
        metrics.SessionStarted(); // the caller's new one
        return started;
    }

    /// <summary>
    /// Deletes the account and every session of it in one write; false (nothing deleted) when the password
    /// changed or the account was already deleted since it was verified.
    /// </summary>
    public Task<bool> DeleteAccountAsync(User verified) =>
        _cache.RemovingAsync(() => accounts.DeleteAccountAsync(verified.Id, verified.CredentialStamp),
            cached => cached.Session.UserId == verified.Id);

    /// <summary>
    /// Redeems a live reset token: the new password, every session of the account ended and every reset link of
    /// it dead, in one write; the account as it was, or null (nothing changed) when the token was used meanwhile
    /// or the password changed since it was issued.
    /// </summary>
    public Task<User?> ResetPasswordAsync(EmailToken live, string newHash) =>
        _cache.RemovingAsync(() => tokens.RedeemResetTokenAsync(live.Id, expiry.Now(), newHash, Guid.NewGuid()),
            cached => cached.Session.UserId == live.AccountId);
}
