using System.Globalization;
using System.Text;

namespace SliceAuth.Accounts;

/// <summary>What a username may be, and the key that makes two spellings the same account.</summary>
public static class Usernames
{
    public const int MinLength = 3;
    public const int MaxLength = 32;

    /// <summary>
    /// The rule (letters with their marks and digits of any script, plus '.', '_' and '-'; see IsAllowed) as the
    /// OpenAPI document states it. JSON Schema tools read patterns as ECMA-262 without the u flag (Spectral, ajv), where
    /// \p{L} means nothing, so the pattern is exact for ASCII and leaves every non-ASCII character to the server's check.
    /// </summary>
    public const string Pattern = @"^(?:[A-Za-z0-9._-]|[^\x00-\x7F])+$";

    /// <summary>The form that is stored and shown: what the user typed, without surrounding whitespace.</summary>
    public static string Clean(string value) => value.Trim();

    /// <summary>The form rules are checked against: trimmed and NFKC-normalised.</summary>
    public static string Canonical(string value) => Clean(value).Normalize(NormalizationForm.FormKC);

    /// <summary>Unique and looked up by: full Unicode case folding of the canonical form.</summary>
    public static string Key(string value) => CaseFolding.Fold(Canonical(value));

    /// <summary>
    /// Also unique, so names that look alike are one name (UTS #39): the confusable skeleton of <see cref="Key"/>.
    /// "admin", "ɑdmin" and "admın" share it. Never used to find an account: a login gives the name as registered.
    /// </summary>
    public static string LookalikeKey(string value) => Confusables.Instance.Skeleton(Key(value));

    /// <summary>Why the name is refused as mixing scripts (UTS #39 Highly Restrictive) or the like; null if it is not.</summary>
    public static string? ScriptProblem(string value) => Confusables.Instance.Refusal(Canonical(value));

    internal static bool IsAllowed(Rune rune, bool first)
    {
        if (rune.Value is '.' or '_' or '-') return true;
        var category = Rune.GetUnicodeCategory(rune);
        return category switch
        {
            UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
                or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter or UnicodeCategory.DecimalDigitNumber => true,
            // Marks complete a letter (Devanagari vowel signs, accents); they cannot stand first.
            UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark => !first,
            _ => false,
        };
    }

    public static bool HasOnlyAllowedCharacters(string canonical)
    {
        var first = true;
        foreach (var rune in canonical.EnumerateRunes())
        {
            if (!IsAllowed(rune, first)) return false;
            first = false;
        }
        return true;
    }
}
