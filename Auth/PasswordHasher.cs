using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace SliceAuth.Auth;

/// <summary>
/// bcrypt over base64(HMAC-SHA-384(pepper, password)) (OWASP's pre-hashing construction): bcrypt reads only
/// 72 bytes, the 64-character digest always fits, so every character of a long password counts.
/// </summary>
public sealed class PasswordHasher(Pepper pepper, PasswordWorkers workers, IOptions<AuthOptions> options) : IPasswordHasher
{
    private readonly int _workFactor = options.Value.BcryptWorkFactor;

    // Verified against when the user does not exist, so an unknown name costs the same bcrypt work.
    private readonly Lazy<string> _decoyHash = new(() =>
        BCrypt.Net.BCrypt.HashPassword(Convert.ToBase64String(RandomNumberGenerator.GetBytes(48)), options.Value.BcryptWorkFactor));

    public Task<string> HashAsync(string password) =>
        workers.Run(() => BCrypt.Net.BCrypt.HashPassword(PreHash(password), _workFactor));

    public Task<bool> VerifyAsync(string password, string hash) =>
        workers.Run(() => BCrypt.Net.BCrypt.Verify(PreHash(password), hash));

    /// <summary>Spends one verification's work and always fails.</summary>
    public Task VerifyDecoyAsync(string password) =>
        workers.Run(() => BCrypt.Net.BCrypt.Verify(PreHash(password), _decoyHash.Value));

    public bool NeedsRehash(string hash) => BCrypt.Net.BCrypt.PasswordNeedsRehash(hash, _workFactor);

    /// <summary>Forces the decoy hash and the pepper at start-up rather than on the first login.</summary>
    public void Warm() => _ = (_decoyHash.Value, pepper.Key);

    private string PreHash(string password) =>
        Convert.ToBase64String(HMACSHA384.HashData(pepper.Key, Encoding.UTF8.GetBytes(password)));
}
