using SliceAuth.Data;

namespace SliceAuth.Auth;

/// <summary>
/// The writes where an account's credentials and its sessions change together. Each runs as one serialised
/// write that commits all or nothing (<see cref="AppDatabase.WriteTogether{T}"/>) and first re-reads the
/// account: it goes ahead only if the account still exists with the <see cref="User.CredentialStamp"/> that
/// was read before the password was verified.
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
    public NewSession? StartVerified(User verified, HttpContext? http, string? upgradedHash = null)
    {
        var (session, started) = Prepare(verified.Id, verified.Username, http);
        return db.WriteTogether(d =>
        {
            if (StillHolds(d, verified) is not { } current) return (NewSession?)null;
            if (upgradedHash is not null)
            {
                current.PasswordHash = upgradedHash;
                d.Users.Update(current);
            }
            d.Sessions.Insert(session);
            return started;
        });
    }

    /// <summary>
    /// Sets a new password, ends every session of the account and starts the caller's new one, in one write;
    /// null (nothing changed) when the password changed or the account was deleted since it was verified.
    /// </summary>
    public NewSession? ChangePassword(User verified, string newHash, HttpContext? http)
    {
        var (session, started) = Prepare(verified.Id, verified.Username, http);
        return Removing(d =>
        {
            if (StillHolds(d, verified) is not { } current) return (NewSession?)null;
            d.Sessions.DeleteMany(s => s.UserId == verified.Id);
            current.PasswordHash = newHash;
            current.CredentialStamp = Guid.NewGuid();
            d.Users.Update(current);
            d.Sessions.Insert(session);
            return started;
        }, cached => cached.Session.UserId == verified.Id && cached.Session.Id != session.Id, together: true);
    }

    /// <summary>
    /// Deletes the account and every session of it in one write; false (nothing deleted) when the password
    /// changed or the account was already deleted since it was verified.
    /// </summary>
    public bool DeleteAccount(User verified) => Removing(d =>
    {
        if (StillHolds(d, verified) is null) return false;
        d.Sessions.DeleteMany(s => s.UserId == verified.Id);
        d.Users.Delete(verified.Id);
        return true;
    }, cached => cached.Session.UserId == verified.Id, together: true);

    /// <summary>The account as it is now, if it still has the credentials that were verified.</summary>
    private static User? StillHolds(AppDatabase d, User verified) =>
        d.Users.FindById(verified.Id) is { } current && current.CredentialStamp == verified.CredentialStamp ? current : null;
}
