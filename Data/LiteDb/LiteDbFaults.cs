using LiteDB;

namespace SliceAuth.Data.LiteDb;

/// <summary>Which LiteDB exceptions mean the storage failed, as opposed to a taken unique key, a bug or bad input.</summary>
internal static class LiteDbFaults
{
    public static bool IsDuplicateKey(Exception e) => e is LiteException { ErrorCode: LiteException.INDEX_DUPLICATE_KEY };

    public static bool IsEngineFault(Exception e) => e switch
    {
        StorageUnavailableException => true,
        LiteException lite => !IsDuplicateKey(lite),
        // Only engine calls run inside LiteDbDatabase.Read/Write: a closed file, or a read that overlapped a reopen
        // (LiteDB's own lock then throws it, with the runtime as its source).
        ObjectDisposedException => true,
        IOException => true,
        _ => false,
    };
}
