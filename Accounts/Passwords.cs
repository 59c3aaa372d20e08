namespace SliceAuth.Accounts;

/// <summary>Length limits in code points; passwords are never trimmed or truncated.</summary>
public static class Passwords
{
    public const int MinLength = 12;
    public const int MaxLength = 128;
}
