namespace SliceAuth.Data;

/// <summary>
/// How this instance hears that session records were deleted or changed by another writer (another instance,
/// the purge there, an operator with SQL), so an in-memory copy is dropped. Deletions this instance makes
/// itself are dropped from its memory directly and need not come through here.
/// </summary>
public interface ISessionRemovalFeed
{
    /// <summary>
    /// True while every change committed elsewhere is known to reach <see cref="Removed"/>; false while it may
    /// be missed (not yet listening, the connection lost, a heartbeat late): memory must not be trusted then.
    /// </summary>
    bool Complete { get; }

    /// <summary>The session with this id was deleted or changed.</summary>
    event Action<string>? Removed;

    /// <summary>Anything may have changed (listening again after a gap, a truncate): drop every copy.</summary>
    event Action? Reset;
}

/// <summary>The LiteDB provider's feed: the data directory lock makes this process the only writer, so nothing is ever missed.</summary>
public sealed class OnlyWriterRemovalFeed : ISessionRemovalFeed
{
    public bool Complete => true;

    public event Action<string>? Removed { add { } remove { } }

    public event Action? Reset { add { } remove { } }
}
