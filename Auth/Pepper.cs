using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using SliceAuth.Data;

namespace SliceAuth.Auth;

/// <summary>
/// The server secret keyed into every password hash: Auth:Pepper when set, else a random one generated on
/// first start and kept in the data directory, so a restart keeps every password valid. Either way it must
/// match the fingerprint kept with the data (see <see cref="PepperFingerprint"/>).
/// </summary>
public sealed class Pepper(IOptions<AuthOptions> auth, IOptions<StorageOptions> storage, PepperFingerprint fingerprint)
{
    public const string FileName = "pepper.key";

    private readonly Lazy<byte[]> _key = new(() => Load(auth.Value, storage.Value, fingerprint));

    public byte[] Key => _key.Value;

    private static byte[] Load(AuthOptions auth, StorageOptions storage, PepperFingerprint fingerprint)
    {
        if (!string.IsNullOrEmpty(auth.Pepper))
        {
            var configured = Encoding.UTF8.GetBytes(auth.Pepper);
            fingerprint.Verify(configured, $"{AuthOptions.Section}:{nameof(AuthOptions.Pepper)}");
            return configured;
        }

        var path = Path.Combine(storage.FullDataDirectory, FileName);
        byte[] key;
        try
        {
            if (File.Exists(path)) key = Convert.FromBase64String(File.ReadAllText(path).Trim());
            // A lost pepper.key must not be replaced silently: the passwords need the old one.
            else if (fingerprint.IsRecorded)
                throw new PepperMismatchException(
                    $"The pepper file '{path}' is missing, but the stored passwords were hashed with a pepper. Restore it " +
                    "from a backup of the data directory (or set Auth:Pepper if the pepper was configured), or move the " +
                    "data directory aside to start with no accounts.");
            else key = Generate(path, storage);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            // Never guess a new one: a different pepper would orphan every stored password.
            throw new StorageUnavailableException(
                $"The pepper file '{path}' cannot be read or written ({e.Message}). Restore it from the backup of the data directory.", e);
        }
        fingerprint.Verify(key, $"The pepper in '{path}'");
        return key;
    }

    private static byte[] Generate(string path, StorageOptions storage)
    {
        var key = RandomNumberGenerator.GetBytes(32);
        Directory.CreateDirectory(storage.FullDataDirectory);
        // Write then rename: a crash never leaves a half-written pepper that would orphan every password.
        var temp = path + ".tmp";
        File.WriteAllText(temp, Convert.ToBase64String(key));
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.Move(temp, path);
        return key;
    }
}
