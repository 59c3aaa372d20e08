using System.Security.Cryptography;
using System.Text;

namespace SliceAuth.Data.LiteDb;

/// <summary>
/// A passkey as LiteDB stores it (<see cref="LiteDbPasskeyStore"/>): the credential id is found through
/// <see cref="CredentialKey"/>, its SHA-256, because LiteDB refuses index keys over 1023 bytes and a credential id
/// may be that long. A binary key compares byte by byte; the id itself is compared again on every read.
/// </summary>
internal sealed class PasskeyDocument
{
    public Guid Id { get; set; }

    public Guid AccountId { get; set; }

    public byte[] CredentialKey { get; set; } = [];

    public byte[] CredentialId { get; set; } = [];

    public byte[] PublicKey { get; set; } = [];

    /// <summary>A uint held as a long: LiteDB has no unsigned integers.</summary>
    public long SignCount { get; set; }

    public string Name { get; set; } = "";

    public DateTime CreatedAt { get; set; }

    public DateTime? LastUsedAt { get; set; }

    public static byte[] KeyOf(byte[] credentialId) => SHA256.HashData(credentialId);

    public static PasskeyDocument From(Passkey p) => new()
    {
        Id = p.Id, AccountId = p.AccountId, CredentialKey = KeyOf(p.CredentialId), CredentialId = p.CredentialId,
        PublicKey = p.PublicKey, SignCount = p.SignCount, Name = p.Name, CreatedAt = p.CreatedAt, LastUsedAt = p.LastUsedAt,
    };

    public Passkey ToPasskey() => new()
    {
        Id = Id, AccountId = AccountId, CredentialId = CredentialId, PublicKey = PublicKey, SignCount = (uint)SignCount,
        Name = Name, CreatedAt = CreatedAt, LastUsedAt = LastUsedAt,
    };
}

/// <summary>
/// A ceremony's challenge as LiteDB stores it, keyed by the SHA-256 of the challenge's UTF-8: LiteDB's string
/// index compares by culture, ignoring case and U+0000, and a base64url challenge is case-sensitive.
/// </summary>
internal sealed class ChallengeDocument
{
    public byte[] Id { get; set; } = [];

    public string Challenge { get; set; } = "";

    /// <summary>The ceremony's number: an enum is stored as its name, which a query would have to spell.</summary>
    public int Ceremony { get; set; }

    public Guid? AccountId { get; set; }

    public string OptionsJson { get; set; } = "";

    public DateTime CreatedAt { get; set; }

    public DateTime ExpiresAt { get; set; }

    public static byte[] KeyOf(string challenge) => SHA256.HashData(Encoding.UTF8.GetBytes(challenge));

    public static ChallengeDocument From(WebAuthnChallenge c) => new()
    {
        Id = KeyOf(c.Challenge), Challenge = c.Challenge, Ceremony = (int)c.Ceremony, AccountId = c.AccountId,
        OptionsJson = c.OptionsJson, CreatedAt = c.CreatedAt, ExpiresAt = c.ExpiresAt,
    };

    public WebAuthnChallenge ToChallenge() => new()
    {
        Challenge = Challenge, Ceremony = (WebAuthnCeremony)Ceremony, AccountId = AccountId, OptionsJson = OptionsJson,
        CreatedAt = CreatedAt, ExpiresAt = ExpiresAt,
    };
}
