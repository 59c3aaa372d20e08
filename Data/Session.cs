namespace SliceAuth.Data;

/// <summary>A server-side session. The cookie carries the token; only its SHA-256 is stored here.</summary>
public sealed class Session
{
    /// <summary>SHA-256 of the cookie's token, base64url: a stolen database yields no usable cookie.</summary>
    public string Id { get; set; } = "";

    /// <summary>Public handle, safe to show (session lists, logs); never the token.</summary>
    public string Handle { get; set; } = "";

    public Guid UserId { get; set; }

    public string Username { get; set; } = "";

    public DateTime CreatedAt { get; set; }

    public DateTime LastSeenAt { get; set; }

    /// <summary>The absolute end of the session, whatever its activity.</summary>
    public DateTime ExpiresAt { get; set; }

    public string? UserAgent { get; set; }

    public string? IpAddress { get; set; }
}
