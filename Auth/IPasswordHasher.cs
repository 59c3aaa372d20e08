namespace SliceAuth.Auth;

/// <summary>
/// What the endpoints need from password hashing. An interface so a test can put a gate in front of the real
/// hasher and make races between password checks deterministic; <see cref="PasswordHasher"/> is the only
/// implementation in the product.
/// </summary>
public interface IPasswordHasher
{
    Task<string> HashAsync(string password);

    Task<bool> VerifyAsync(string password, string hash);

    /// <summary>Spends one verification's work and always fails.</summary>
    Task VerifyDecoyAsync(string password);

    bool NeedsRehash(string hash);
}
