namespace SliceAuth.TwoFactor;

/// <summary>A stored TOTP secret cannot be decrypted: the Data Protection key ring lacks its key. Answered 503, logged with the cause.</summary>
public sealed class TotpKeyUnavailableException(Exception inner)
    : Exception("A stored TOTP secret cannot be decrypted: the Data Protection key ring lacks its key (restore the keys the secret was written with).", inner);
