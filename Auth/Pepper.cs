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
        if (File.Exists(path)) return Convert.FromBase64String(File.ReadAllText(path).Trim());

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
