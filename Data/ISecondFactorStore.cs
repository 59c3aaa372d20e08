namespace SliceAuth.Data;

/// <summary>
/// An account's TOTP second factor, its recovery codes, and the logins waiting for a code. Every write that
/// consumes a proof (a TOTP step, a recovery code) is one atomic step in the engine together with what the
/// proof authorises, so one code opens one door once, however many requests or instances present it at once.
/// The writes that change the factor take the <see cref="User.CredentialStamp"/> read before the password was
/// verified, set a new one and delete every other session of the account in the same commit (a login that was
/// mid-bcrypt when TOTP was turned on then finds the stamp changed and gets no session).
/// Rows of an account that is deleted go with it. Engine faults surface as <see cref="StorageUnavailableException"/>.
/// </summary>
public interface ISecondFactorStore
{
    /// <summary>The account's factor, enabled or with an enrolment pending; null when it has neither.</summary>
    Task<SecondFactor?> FindAsync(Guid accountId);

    /// <summary>Stores the secret handed out by a new enrolment, replacing an unconfirmed one; false when TOTP is already on or the account is gone.</summary>
    Task<bool> SetPendingSecretAsync(Guid accountId, string protectedSecret);

    /// <summary>
    /// In one commit, if the account still has <paramref name="expectedStamp"/>, TOTP is off and the pending secret
    /// is still <paramref name="pendingSecret"/>: that secret enabled with <paramref name="acceptedStep"/> as the last
    /// accepted step, the recovery codes set to <paramref name="recoveryCodeHashes"/>, the stamp set to
    /// <paramref name="newStamp"/>, every session of the account but <paramref name="keepSessionHandle"/> deleted.
    /// </summary>
    Task<bool> EnableAsync(Guid accountId, Guid expectedStamp, Guid newStamp, string pendingSecret, long acceptedStep,
        IReadOnlyList<string> recoveryCodeHashes, string keepSessionHandle);

    /// <summary>
    /// In one commit, if the stamp is still <paramref name="expectedStamp"/>, TOTP is on and <paramref name="proof"/> is
    /// unused: the proof consumed, the recovery codes replaced, the new stamp, every other session deleted.
    /// </summary>
    Task<bool> ReplaceRecoveryCodesAsync(Guid accountId, Guid expectedStamp, Guid newStamp, SecondFactorProof proof,
        IReadOnlyList<string> recoveryCodeHashes, string keepSessionHandle);

    /// <summary>
    /// In one commit, if the stamp is still <paramref name="expectedStamp"/>, TOTP is on and <paramref name="proof"/> is
    /// unused: the factor, its pending secret and its recovery codes deleted, the new stamp, every other session deleted.
    /// </summary>
    Task<bool> DisableAsync(Guid accountId, Guid expectedStamp, Guid newStamp, SecondFactorProof proof, string keepSessionHandle);

    /// <summary>Stores a login whose password was right and that waits for the second factor.</summary>
    Task AddPendingLoginAsync(PendingLogin pending);

    /// <summary>The pending login with this id if it has not expired at <paramref name="now"/>.</summary>
    Task<PendingLogin?> FindPendingLoginAsync(string id, DateTime now);

    /// <summary>
    /// In one commit, if the pending login <paramref name="pendingId"/> is still there and live at <paramref name="now"/>,
    /// its account still has the pending login's stamp, TOTP is on and <paramref name="proof"/> is unused: the pending
    /// login deleted, the proof consumed, <paramref name="session"/> stored. False: nothing changed.
    /// </summary>
    Task<bool> CompleteLoginAsync(string pendingId, DateTime now, SecondFactorProof proof, Session session);

    /// <summary>Housekeeping: deletes pending logins expired at <paramref name="now"/>; how many.</summary>
    Task<int> DeleteExpiredPendingLoginsAsync(DateTime now);
}

/// <summary>An account's TOTP factor as stored: the secret only ever as Data Protection ciphertext.</summary>
public sealed class SecondFactor
{
    public Guid AccountId { get; set; }

    /// <summary>Ciphertext of the confirmed secret; null while TOTP is off.</summary>
    public string? ProtectedSecret { get; set; }

    /// <summary>Ciphertext of the secret an enrolment handed out and no code has confirmed yet.</summary>
    public string? PendingSecret { get; set; }

    /// <summary>The last 30-second step whose code was accepted: a code of this step or an earlier one is a replay.</summary>
    public long LastAcceptedStep { get; set; }

    /// <summary>Lower-case hex SHA-256 of each unused recovery code.</summary>
    public IReadOnlyList<string> RecoveryCodeHashes { get; set; } = [];

    public bool Enabled => ProtectedSecret is not null;
}

/// <summary>What the user presented as the second factor, once checked against the secret or the codes.</summary>
public readonly record struct SecondFactorProof
{
    /// <summary>The step of a TOTP code: it is consumed by raising the last accepted step to it (it must be higher).</summary>
    public long? TotpStep { get; private init; }

    /// <summary>The hash of a recovery code: it is consumed by deleting it (it must still be there).</summary>
    public string? RecoveryCodeHash { get; private init; }

    public static SecondFactorProof Totp(long step) => new() { TotpStep = step };

    public static SecondFactorProof RecoveryCode(string hash) => new() { RecoveryCodeHash = hash };
}

/// <summary>A login whose password was right, waiting for its second factor. Only the SHA-256 of the cookie's token is stored.</summary>
public sealed class PendingLogin
{
    /// <summary>Lower-case hex SHA-256 of the pending cookie's token.</summary>
    public string Id { get; set; } = "";

    public Guid AccountId { get; set; }

    /// <summary>The account's stamp when the password was checked: a password change meanwhile kills the pending login.</summary>
    public Guid CredentialStamp { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime ExpiresAt { get; set; }

    public string? UserAgent { get; set; }

    public string? IpAddress { get; set; }
}
