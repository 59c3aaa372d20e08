using System.Security.Cryptography;
using System.Text;

namespace SliceAuth.Auth;

/// <summary>Where the pepper's fingerprint is kept: with the password hashes, so it moves and is restored with them.</summary>
public interface IPepperFingerprintStore
{
    string? Read();

    /// <summary>Keeps the fingerprint unless one is kept already (never overwrites).</summary>
    void Save(string fingerprint);
}

/// <summary>
/// Proves at start that the pepper is the one the stored passwords were hashed with: a new pepper would make
/// every password fail while old sessions kept working. The fingerprint is HMAC-SHA-256 keyed by the pepper
/// over a fixed label, never the pepper or a plain hash of it: a value good for this comparison only. Guessing
/// the pepper from it is no easier than from any password hash, which is why a configured pepper must be long
/// and random. Recorded at the first start that has none (data directories from before fingerprints).
/// </summary>
public sealed class PepperFingerprint(IPepperFingerprintStore store)
{
    private static readonly byte[] Label = Encoding.ASCII.GetBytes("SliceAuth pepper fingerprint v1");

    public static string Of(byte[] pepper) => Convert.ToBase64String(HMACSHA256.HashData(pepper, Label));

    public bool IsRecorded => store.Read() is not null;

    /// <summary>Records the fingerprint when none is kept yet; throws when the kept one is another pepper's.</summary>
    /// <param name="source">Where this pepper came from, as the operator would name it.</param>
    public void Verify(byte[] pepper, string source)
    {
        var actual = Of(pepper);
        var expected = store.Read();
        if (expected is null)
        {
            // Instances starting at once on a new database each try to save theirs: the first one is kept,
            // and every one of them then checks against that one.
            store.Save(actual);
            expected = store.Read() ?? actual;
        }
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(actual)))
            throw new PepperMismatchException(
                $"{source} is not the pepper the stored passwords were hashed with (its fingerprint differs from the one kept " +
                "with the data), so every password would fail. Restore the previous pepper (the old Auth:Pepper, or " +
                $"{Pepper.FileName} from a backup of the data directory), or start on empty storage (a new data directory or database) with no accounts.");
    }
}

/// <summary>The configured or generated pepper does not match the data; the message says what to do.</summary>
public sealed class PepperMismatchException(string message) : Exception(message);
