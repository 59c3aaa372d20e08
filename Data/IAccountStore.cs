namespace SliceAuth.Data;

/// <summary>
/// The accounts, as the slices use them. The writes that change an account's credentials together with its
/// sessions take the <see cref="User.CredentialStamp"/> read before the password was verified, and are atomic
/// in the engine: they go ahead only if the account still exists with that stamp, else change nothing.
/// Engine faults surface as <see cref="StorageUnavailableException"/> (503), never as an engine exception.
/// </summary>
public interface IAccountStore
{
    /// <summary>The account whose case-folded name key is this (login).</summary>
    Task<User?> FindByUsernameKeyAsync(string usernameKey);

    Task<User?> FindByIdAsync(Guid id);

    /// <summary>The account whose email key is this (password reset).</summary>
    Task<User?> FindByEmailKeyAsync(string emailKey);

    /// <summary>Adds the account unless its name, look-alike or email key is taken; says which one was.</summary>
    Task<AddAccountResult> TryAddAsync(User user);

    /// <summary>Replaces the hash without changing the stamp (the same password, re-hashed at a higher work factor).</summary>
    Task<bool> SetPasswordHashAsync(Guid accountId, string passwordHash);

    /// <summary>
    /// Stores <paramref name="session"/> (and <paramref name="upgradedHash"/>, if any) only if the account still
    /// has <paramref name="expectedStamp"/>; false, nothing stored, when it was deleted or its password changed.
    /// </summary>
    Task<bool> TryStartSessionAsync(Guid accountId, Guid expectedStamp, Session session, string? upgradedHash = null);

    /// <summary>
    /// In one commit, if the account still has <paramref name="expectedStamp"/>: the new hash and stamp, every
    /// session of the account deleted, <paramref name="keepSession"/> (the caller's new one) added.
    /// </summary>
    Task<bool> ChangePasswordAsync(Guid accountId, Guid expectedStamp, string newHash, Guid newStamp, Session keepSession);

    /// <summary>In one commit, if the account still has <paramref name="expectedStamp"/>: the account and every session of it.</summary>
    Task<bool> DeleteAccountAsync(Guid accountId, Guid expectedStamp);
}

public enum AddAccountResult { Added, UsernameTaken, LookalikeTaken, EmailTaken }
