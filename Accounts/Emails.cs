using System.Net.Mail;

namespace SliceAuth.Accounts;

public static class Emails
{
    public const int MaxLength = 254;

    public static string Clean(string value) => value.Trim();

    /// <summary>Addresses are unique case-insensitively, the whole address.</summary>
    public static string Key(string value) => Clean(value).ToLowerInvariant();

    /// <summary>A bare address (no display name, no comments) with a dotted domain.</summary>
    public static bool IsValid(string cleaned)
    {
        if (cleaned.Length > MaxLength || cleaned.Any(c => char.IsWhiteSpace(c) || char.IsControl(c))) return false;
        if (!MailAddress.TryCreate(cleaned, out var address) || address.Address != cleaned) return false;
        var at = cleaned.LastIndexOf('@');
        var local = cleaned[..at];
        var domain = cleaned[(at + 1)..];
        return local.Length is > 0 and <= 64
            && domain.Contains('.')
            && !domain.StartsWith('.') && !domain.EndsWith('.') && !domain.Contains("..");
    }
}
