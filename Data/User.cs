namespace SliceAuth.Data;

public sealed class User
{
    public Guid Id { get; set; }

    /// <summary>As the user typed it, trimmed.</summary>
    public string Username { get; set; } = "";

    /// <summary>Case-folded NFKC form: what uniqueness and login match on.</summary>
    public string UsernameKey { get; set; } = "";

    public string Email { get; set; } = "";

    public string EmailKey { get; set; } = "";

    public string PasswordHash { get; set; } = "";

    public DateTime CreatedAt { get; set; }
}
