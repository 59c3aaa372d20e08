using System.Collections.Frozen;

namespace SliceAuth.Accounts;

/// <summary>
/// What a new password may not be (NIST SP 800-63B 5.1.1.2): one of the most common passwords, or something
/// built from the account's own name. No composition rules.
/// </summary>
public static class PasswordPolicy
{
    public const string CommonMessage = "This password is one of the most commonly used passwords; choose another.";
    public const string PersonalMessage = "The password must not contain the username or the email's local part.";

    // zxcvbn's list of the 30,000 most frequent passwords (from leaked password sets), shipped in zxcvbn-core.
    private const string CommonListResource = "zxcvbn-core.Dictionaries.passwords.lst";

    private static readonly Lazy<FrozenSet<string>> Common = new(LoadCommon);

    public static int CommonPasswordCount => Common.Value.Count;

    public static bool IsCommon(string password) => Common.Value.Contains(password);

    /// <summary>Whether the password contains the username or the email's part before the '@', ignoring case.</summary>
    public static bool ContainsIdentity(string password, string? username, string? email)
    {
        var fragments = new List<string>();
        if (!string.IsNullOrWhiteSpace(username)) fragments.Add(Usernames.Canonical(username));
        if (!string.IsNullOrWhiteSpace(email) && Emails.Clean(email).Split('@')[0] is { Length: > 0 } local) fragments.Add(local);
        return fragments.Any(f => password.Contains(f, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Every reason the password is refused (empty when it is acceptable beyond its length).</summary>
    public static IEnumerable<string> Problems(string password, string? username, string? email)
    {
        if (IsCommon(password)) yield return CommonMessage;
        if (ContainsIdentity(password, username, email)) yield return PersonalMessage;
    }

    private static FrozenSet<string> LoadCommon()
    {
        var assembly = typeof(Zxcvbn.Zxcvbn).Assembly;
        using var stream = assembly.GetManifestResourceStream(CommonListResource)
            ?? throw new InvalidOperationException($"The common-password list {CommonListResource} is missing from zxcvbn-core.");
        using var reader = new StreamReader(stream);
        var words = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        while (reader.ReadLine() is { } line)
            if (line.Trim() is { Length: > 0 } word) words.Add(word);
        return words.ToFrozenSet(StringComparer.OrdinalIgnoreCase);
    }
}
