namespace SliceAuth.Auth;

/// <summary>Sessions: whether live sessions are also kept in memory (see <see cref="SessionStore"/>).</summary>
public sealed class SessionCacheOptions
{
    public const string Section = "Sessions";

    /// <summary>
    /// On (default): a request's session is found in memory; a revocation elsewhere reaches it through the
    /// storage's removal feed (PostgreSQL: LISTEN/NOTIFY, well under 100 ms), and while that feed may have
    /// missed something every request reads the storage. Off: every request reads the storage, so a
    /// revocation is refused everywhere from the moment it commits.
    /// </summary>
    public SessionCacheMode Cache { get; set; } = SessionCacheMode.On;
}

public enum SessionCacheMode { On, Off }
