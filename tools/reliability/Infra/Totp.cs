using System.Security.Cryptography;

namespace Reliability.Infra;

/// <summary>
/// RFC 6238 codes (HMAC-SHA1, 6 digits, 30-second steps) from the base32 secret SliceAuth hands out at enrolment,
/// written out here so the checks need no package and do not share the product's implementation.
/// </summary>
public static class Totp
{
    private const string Base32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    public static long StepNow => DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 30;

    public static string Code(string base32Secret, long step)
    {
        var counter = new byte[8];
        for (var i = 7; i >= 0; i--, step >>= 8) counter[i] = (byte)(step & 0xff);
        var hash = HMACSHA1.HashData(Decode(base32Secret), counter);
        var offset = hash[^1] & 0x0f;
        var binary = ((hash[offset] & 0x7f) << 24) | (hash[offset + 1] << 16) | (hash[offset + 2] << 8) | hash[offset + 3];
        return (binary % 1_000_000).ToString("D6");
    }

    private static byte[] Decode(string base32)
    {
        var bytes = new List<byte>();
        int buffer = 0, bits = 0;
        foreach (var ch in base32.TrimEnd('=').ToUpperInvariant())
        {
            var value = Base32.IndexOf(ch);
            if (value < 0) throw new FormatException($"not base32: '{ch}'");
            buffer = (buffer << 5) | value;
            bits += 5;
            if (bits >= 8)
            {
                bits -= 8;
                bytes.Add((byte)((buffer >> bits) & 0xff));
            }
        }
        return [.. bytes];
    }
}
