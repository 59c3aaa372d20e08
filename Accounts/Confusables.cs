using System.Runtime.InteropServices;

namespace SliceAuth.Accounts;

/// <summary>
/// Unicode UTS #39 through ICU's SpoofChecker (uspoof_*), from the ICU that .NET itself uses on Linux: the
/// confusable skeleton of a name, and whether it mixes scripts beyond Highly Restrictive (one script, or Latin
/// with Han and Hiragana/Katakana, Han and Bopomofo, or Han and Hangul). ICU's C symbols carry its major version
/// ("uspoof_open_72"); the library is found at run time, the newest first, as .NET finds it.
/// </summary>
public sealed unsafe class Confusables
{
    // uspoof.h
    private const int RestrictionLevelCheck = 16, InvisibleCheck = 32, MixedNumbersCheck = 128;
    private const int HighlyRestrictive = 0x30000000;
    private const int BufferOverflowError = 15;

    private readonly nint _checker;
    private readonly delegate* unmanaged<nint, char*, int, nint, int*, int> _check;
    private readonly delegate* unmanaged<nint, uint, char*, int, char*, int, int*, int> _skeleton;

    private Confusables(nint i18n, nint common, string suffix)
    {
        nint Export(nint library, string name) => NativeLibrary.GetExport(library, name + suffix);

        var open = Export(i18n, "uspoof_open");
        var setChecks = Export(i18n, "uspoof_setChecks");
        var setRestrictionLevel = Export(i18n, "uspoof_setRestrictionLevel");
        _check = (delegate* unmanaged<nint, char*, int, nint, int*, int>)Export(i18n, "uspoof_check2");
        _skeleton = (delegate* unmanaged<nint, uint, char*, int, char*, int, int*, int>)Export(i18n, "uspoof_getSkeleton");
        var getVersion = (delegate* unmanaged<byte*, void>)Export(common, "u_getVersion");
        var getUnicodeVersion = (delegate* unmanaged<byte*, void>)Export(common, "u_getUnicodeVersion");

        var status = 0;
        _checker = ((delegate* unmanaged<int*, nint>)open)(&status);
        Succeeded(status, "uspoof_open");
        ((delegate* unmanaged<nint, int, int*, void>)setChecks)(_checker, RestrictionLevelCheck | InvisibleCheck | MixedNumbersCheck, &status);
        Succeeded(status, "uspoof_setChecks");
        ((delegate* unmanaged<nint, int, void>)setRestrictionLevel)(_checker, HighlyRestrictive);

        var version = stackalloc byte[4];
        getVersion(version);
        IcuVersion = $"{version[0]}.{version[1]}";
        getUnicodeVersion(version);
        UnicodeVersion = $"{version[0]}.{version[1]}";
    }

    /// <summary>The one checker of the process. ICU's checks on a configured checker are thread-safe.</summary>
    public static Confusables Instance => Loaded.Value;

    private static readonly Lazy<Confusables> Loaded = new(Load);

    /// <summary>The ICU whose data is used, e.g. "72.1".</summary>
    public string IcuVersion { get; }

    /// <summary>The Unicode version of that data (confusables.txt, Scripts.txt), e.g. "15.0".</summary>
    public string UnicodeVersion { get; }

    /// <summary>Why a name is refused (mixed scripts, mixed digits, a repeated mark), or null if it is acceptable.</summary>
    public string? Refusal(string name)
    {
        var status = 0;
        int result;
        fixed (char* text = name) result = _check(_checker, text, name.Length, 0, &status);
        Succeeded(status, "uspoof_check2");
        if ((result & RestrictionLevelCheck) != 0)
            return "Username must be written in one script (Latin may be combined with Han, Hiragana, Katakana, Bopomofo or Hangul as in Japanese, Chinese or Korean).";
        if ((result & MixedNumbersCheck) != 0) return "Username must not mix digits of different numbering systems.";
        if ((result & InvisibleCheck) != 0) return "Username must not repeat a combining mark.";
        return null;
    }

    /// <summary>The UTS #39 skeleton: two names are confusable when their skeletons are equal.</summary>
    public string Skeleton(string name)
    {
        Span<char> buffer = stackalloc char[Math.Min(4 * name.Length + 16, 1024)];
        var status = 0;
        int length;
        fixed (char* text = name)
        fixed (char* destination = buffer)
            length = _skeleton(_checker, 0, text, name.Length, destination, buffer.Length, &status);
        if (status == BufferOverflowError) // a skeleton can be longer than its name (one character maps to several)
        {
            var larger = new char[length];
            status = 0;
            fixed (char* text = name)
            fixed (char* destination = larger)
                length = _skeleton(_checker, 0, text, name.Length, destination, larger.Length, &status);
            Succeeded(status, "uspoof_getSkeleton");
            return new string(larger, 0, length);
        }
        Succeeded(status, "uspoof_getSkeleton");
        return new string(buffer[..length]);
    }

    private static void Succeeded(int status, string function)
    {
        // ICU: negative codes are warnings, 0 is success, positive codes are errors.
        if (status > 0) throw new InvalidOperationException($"ICU {function} failed with error code {status}.");
    }

    private static Confusables Load()
    {
        for (var major = 100; major >= 50; major--)
        {
            if (!NativeLibrary.TryLoad($"libicui18n.so.{major}", out var i18n)) continue;
            if (!NativeLibrary.TryLoad($"libicuuc.so.{major}", out var common)) continue;
            try
            {
                return new Confusables(i18n, common, $"_{major}");
            }
            catch (EntryPointNotFoundException e)
            {
                throw new ConfusablesUnavailableException($"ICU {major} (libicui18n.so.{major}) lacks the SpoofChecker: {e.Message}", e);
            }
        }
        throw new ConfusablesUnavailableException("ICU's libicui18n.so.N was not found. Install ICU (Debian: libicu72, or the libicuNN of the release).", null);
    }
}

/// <summary>ICU or its SpoofChecker cannot be loaded: usernames cannot be checked, so the service does not start.</summary>
public sealed class ConfusablesUnavailableException(string message, Exception? inner) : Exception(message, inner);
