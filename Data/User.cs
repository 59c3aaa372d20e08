namespace SliceAuth.Data;

public sealed class User
{
    public Guid Id { get; set; }

    /// <summary>As the user typed it, trimmed.</summary>
    public string Username { get; set; } = "";

    /// <summary>Case-folded NFKC form: what uniqueness and login match on.</summary>
    public string UsernameKey { get; set; } = "";

    /// <summary>
    /// UTS #39 skeleton of <see cref="UsernameKey"/>, unique: names that look alike cannot both be registered.
    /// See <see cref="LiteDb.UsernameLookalikeKeys"/> for accounts that already collided.
    /// </summary>
    public string? UsernameLookalikeKey { get; set; }

    public string Email { get; set; } = "";

    public string EmailKey { get; set; } = "";

    /// <summary>The owner of <see cref="Email"/> proved it by redeeming a mailed token. Accounts from before it existed read false.</summary>
    public bool EmailVerified { get; set; }

    public string PasswordHash { get; set; } = "";

    /// <summary>
    /// Changes whenever the password does (never on a mere re-hash). A login or password change stores its
    /// result only if the stamp it read before bcrypt is still the account's, inside the same serialised write.
    /// Accounts from before it existed read Guid.Empty, which is a stamp like any other.
    /// </summary>
    public Guid CredentialStamp { get; set; }

    public DateTime CreatedAt { get; set; }
}
