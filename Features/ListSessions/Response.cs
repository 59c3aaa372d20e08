namespace SliceAuth.Features.ListSessions;

public sealed class Response
{
    /// <summary>The session's public handle: what DELETE /me/sessions/{id} takes. Never the cookie's token.</summary>
    public string Id { get; init; } = "";
    public DateTime CreatedAt { get; init; }
    public DateTime LastSeenAt { get; init; }
    /// <summary>When the session ends if unused from now on (the earlier of its idle and absolute limits).</summary>
    public DateTime ExpiresAt { get; init; }
    public string? UserAgent { get; init; }
    public string? IpAddress { get; init; }
    /// <summary>Whether this is the session the request came with.</summary>
    public bool Current { get; init; }
}
