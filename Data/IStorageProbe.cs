namespace SliceAuth.Data;

/// <summary>Readiness: whether the storage takes a write now.</summary>
public interface IStorageProbe
{
    /// <summary>Writes something small; throws <see cref="StorageUnavailableException"/> when it cannot.</summary>
    Task ProbeWriteAsync();
}
