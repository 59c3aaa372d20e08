using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using SliceAuth.Data;

namespace SliceAuth.Auth;

/// <summary>
/// The server secret keyed into every password hash: Auth:Pepper when set, else a random one generated on
/// first start and kept in the data directory, so a restart keeps every password valid.
/// </summary>
public sealed class Pepper(IOptions<AuthOptions> auth, IOptions<StorageOptions> storage)
{
    public const string FileName = "pepper.key";

    private readonly Lazy<byte[]> _key = new(() => Load(auth.Value, storage.Value));

    public byte[] Key => _key.Value;

    private static byte[] Load(AuthOptions auth, StorageOptions storage)
    {
        if (!string.IsNullOrEmpty(auth.Pepper)) return Encoding.UTF8.GetBytes(auth.Pepper);

        var path = Path.Combine(storage.FullDataDirectory, FileName);
        try
        {
            return File.Exists(path) ? Convert.FromBase64String(File.ReadAllText(path).Trim()) : Generate(path, storage);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            // Never guess a new one: a different pepper would orphan every stored password.
            throw new StorageUnavailableException(
                $"The pepper file '{path}' cannot be read or written ({e.Message}). Restore it from the backup of the data directory.", e);
        }
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
