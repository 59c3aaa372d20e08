namespace SliceAuth.Data;

/// <summary>
/// Passkeys (WebAuthn credentials) and the challenges of ceremonies in flight. A credential id is unique across
/// all accounts; a challenge is taken (deleted) by the one request that completes its ceremony, atomically, so it
/// can be used once; a use moves the signature counter forward atomically, so a cloned authenticator that presents
/// an old counter is refused even when both copies sign in at once. Rows of an account that is deleted go with it.
/// Engine faults surface as <see cref="StorageUnavailableException"/>.
/// </summary>
public interface IPasskeyStore
{
    /// <summary>The account's passkeys, oldest first.</summary>
    Task<IReadOnlyList<Passkey>> ListByAccountAsync(Guid accountId);

    Task<Passkey?> FindByCredentialIdAsync(byte[] credentialId);

    /// <summary>Stores the passkey; false (nothing stored) when its credential id is registered already, to any account, or the account is gone.</summary>
    Task<bool> TryAddAsync(Passkey passkey);

    /// <summary>Deletes one of the account's passkeys; false when the account has no passkey with this id.</summary>
    Task<bool> DeleteAsync(Guid accountId, Guid passkeyId);

    /// <summary>
    /// Records a sign-in: the counter set to <paramref name="newSignCount"/> and the last use to <paramref name="usedAt"/>,
    /// only if the new count is above the stored one, or both are 0 (an authenticator without a counter).
    /// False (nothing changed) when the counter did not move forward or the passkey is gone.
    /// </summary>
    Task<bool> TryRecordUseAsync(Guid passkeyId, uint newSignCount, DateTime usedAt);

    Task AddChallengeAsync(WebAuthnChallenge challenge);

    /// <summary>Deletes and returns the challenge if it exists for this ceremony and is live at <paramref name="now"/>; otherwise null, nothing deleted.</summary>
    Task<WebAuthnChallenge?> TakeChallengeAsync(string challenge, WebAuthnCeremony ceremony, DateTime now);

    /// <summary>Housekeeping: deletes challenges expired at <paramref name="now"/>; how many.</summary>
    Task<int> DeleteExpiredChallengesAsync(DateTime now);
}

public sealed class Passkey
{
    public Guid Id { get; set; }

    public Guid AccountId { get; set; }

    /// <summary>The credential id the authenticator chose (unique across accounts).</summary>
    public byte[] CredentialId { get; set; } = [];

    /// <summary>The COSE public key; never returned by the API.</summary>
    public byte[] PublicKey { get; set; } = [];

    public uint SignCount { get; set; }

    /// <summary>What the owner called it ("laptop", "phone").</summary>
    public string Name { get; set; } = "";

    public DateTime CreatedAt { get; set; }

    public DateTime? LastUsedAt { get; set; }
}

public enum WebAuthnCeremony { Registration = 1, Login = 2 }

/// <summary>A ceremony in flight: the options the server sent, kept until the browser's answer comes back.</summary>
public sealed class WebAuthnChallenge
{
    /// <summary>The challenge as sent (base64url); the answer's clientDataJSON carries it back.</summary>
    public string Challenge { get; set; } = "";

    public WebAuthnCeremony Ceremony { get; set; }

    /// <summary>Registration: the account whose session asked for it. Login: null (discoverable credentials).</summary>
    public Guid? AccountId { get; set; }

    /// <summary>The options as JSON, as the WebAuthn library needs them to verify the answer.</summary>
    public string OptionsJson { get; set; } = "";

    public DateTime CreatedAt { get; set; }

    public DateTime ExpiresAt { get; set; }
}
