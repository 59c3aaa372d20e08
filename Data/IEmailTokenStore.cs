namespace SliceAuth.Data;

/// <summary>
/// The one-time tokens mailed to an account (verify the address, reset the password, confirm a new address).
/// Only the SHA-256 of a token is stored (<see cref="EmailToken.Id"/>). Each redemption is one atomic write in
/// the engine: the token is consumed together with the change it authorises, so however many requests present
/// one token at once, exactly one of them changes anything. A token of an account that is deleted goes with it.
/// Engine faults surface as <see cref="StorageUnavailableException"/> (503), never as an engine exception.
/// </summary>
public interface IEmailTokenStore
{
    /// <summary>Stores a new token; false (nothing stored) when its account no longer exists.</summary>
    Task<bool> AddAsync(EmailToken token);

    /// <summary>The token with this id if it is not expired at <paramref name="now"/> and has one of these purposes.</summary>
    Task<EmailToken?> FindLiveAsync(string id, DateTime now, params EmailTokenPurpose[] purposes);

    /// <summary>
    /// Redeems a <see cref="EmailTokenPurpose.VerifyEmail"/> or <see cref="EmailTokenPurpose.ChangeEmail"/> token, in one commit:
    /// <list type="bullet">
    /// <item>VerifyEmail: if the account's <see cref="User.EmailKey"/> still equals the token's, marks the address verified.</item>
    /// <item>ChangeEmail: if the account still has the token's <see cref="EmailToken.CredentialStamp"/>, sets the token's
    /// address as the account's, verified; every other VerifyEmail and ChangeEmail token of the account is deleted.
    /// <see cref="EmailRedemption.Outcome.EmailTaken"/> (nothing changed, the token kept) when another account holds the address.</item>
    /// </list>
    /// The token is deleted whenever it is redeemed. Unknown, expired, or no longer matching: Invalid, nothing changed.
    /// </summary>
    Task<EmailRedemption> RedeemEmailTokenAsync(string id, DateTime now);

    /// <summary>
    /// Redeems a <see cref="EmailTokenPurpose.ResetPassword"/> token, in one commit, if it is live and its account still has
    /// the token's <see cref="EmailToken.CredentialStamp"/>: the new hash and stamp, every session of the account deleted,
    /// every reset token of the account deleted. Returns the account as it was before, or null (nothing changed).
    /// </summary>
    Task<User?> RedeemResetTokenAsync(string id, DateTime now, string newHash, Guid newStamp);

    /// <summary>Housekeeping: deletes tokens expired at <paramref name="now"/>; how many.</summary>
    Task<int> DeleteExpiredAsync(DateTime now);
}

public enum EmailTokenPurpose { VerifyEmail = 1, ResetPassword = 2, ChangeEmail = 3 }

public sealed class EmailToken
{
    /// <summary>Lower-case hex SHA-256 of the token that was mailed; the token itself is never stored.</summary>
    public string Id { get; set; } = "";

    public Guid AccountId { get; set; }

    public EmailTokenPurpose Purpose { get; set; }

    /// <summary>The address the token was mailed to: the account's (VerifyEmail, ResetPassword) or the new one (ChangeEmail).</summary>
    public string Email { get; set; } = "";

    public string EmailKey { get; set; } = "";

    /// <summary>The account's stamp when the token was issued: a password change or reset kills reset and change tokens.</summary>
    public Guid CredentialStamp { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime ExpiresAt { get; set; }
}

public sealed record EmailRedemption(EmailRedemption.Outcome Result, EmailTokenPurpose? Purpose = null, User? Before = null)
{
    public enum Outcome { Invalid, Verified, Changed, EmailTaken }

    public static readonly EmailRedemption Invalid = new(Outcome.Invalid);
}
