using System.Security.Cryptography;
using System.Text;

namespace SliceAuth.TwoFactor;

/// <summary>
/// Recovery codes: 10 of 16 base32 characters (80 random bits each), shown once as xxxx-xxxx-xxxx-xxxx and stored
/// as SHA-256 (high entropy needs no slow hash). What a user types is normalised first: dashes and spaces
/// dropped, upper-cased.
/// </summary>
public static class RecoveryCodes
{
    public const int Count = 10;
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    /// <summary>New codes as shown to the user, and their hashes for the store.</summary>
    public static (IReadOnlyList<string> Shown, IReadOnlyList<string> Hashes) Create()
    {
        var shown = Enumerable.Range(0, Count).Select(_ => NewCode()).ToList();
        return (shown, shown.Select(Hash).ToList());
    }

    /// <summary>Lower-case hex SHA-256 of the normalised code.</summary>
    public static string Hash(string code) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Normalise(code))));

    /// <summary>The stored hash this code matches, compared in constant time with each; null when none.</summary>
    public static string? Match(string code, IReadOnlyList<string> hashes)
    {
        var presented = Encoding.ASCII.GetBytes(Hash(code));
        string? found = null;
        // Every hash is compared, the match or not, so the time says nothing about which one (or whether one) matched.
        foreach (var hash in hashes)
            if (CryptographicOperations.FixedTimeEquals(presented, Encoding.ASCII.GetBytes(hash))) found = hash;
        return found;
    }

    public static string Normalise(string code) =>
        new(code.Where(c => c is not ('-' or ' ')).Select(char.ToUpperInvariant).ToArray());

    private static string NewCode()
    {
        // 16 characters of 5 bits: 80 bits from 10 random bytes, without the modulo bias of picking by remainder.
        var bytes = RandomNumberGenerator.GetBytes(10);
        var bits = new StringBuilder(19);
        ulong buffer = 0;
        int held = 0, written = 0;
        foreach (var b in bytes)
        {
            buffer = (buffer << 8) | b;
            held += 8;
            while (held >= 5)
            {
                held -= 5;
                if (written is 4 or 8 or 12) bits.Append('-');
                bits.Append(Alphabet[(int)((buffer >> held) & 31)]);
                written++;
            }
        }
        return bits.ToString();
    }
}
