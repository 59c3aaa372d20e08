namespace SliceAuth.Data;

/// <summary>Which exceptions mean "the storage failed, retry later" (503) rather than a bug (500).</summary>
public static class StorageFaults
{
    /// <summary>Engine errors arrive translated (<see cref="StorageUnavailableException"/>); a raw I/O error is one too.</summary>
    public static bool IsStorageFault(Exception e) =>
        e is StorageUnavailableException || (e is IOException && e is not BadHttpRequestException);
}
