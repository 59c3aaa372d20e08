namespace SliceAuth.Accounts;

/// <summary>Length limits in code points; passwords are never trimmed or truncated.</summary>
public static partial class Passwords
{
    public const int MinLength = 12;
    public const int MaxLength = 128;

    /// <summary>
    /// What the length limits count (OWASP ASVS 2.1.1): runs of whitespace count as one character, so ten
    /// spaces do not make a short password long. Only for counting; the password itself is kept as typed.
    /// </summary>
    public static string ForLengthCheck(string password) => WhitespaceRun().Replace(password, " ");

    [System.Text.RegularExpressions.GeneratedRegex(@"\s{2,}")]
    private static partial System.Text.RegularExpressions.Regex WhitespaceRun();
}
