namespace SliceAuth.Data.LiteDb;

/// <summary>
/// An exclusive lock file in the data directory. LiteDB's direct mode does not stop a second process from
/// opening the same database on Linux (its writes are silently lost), so a second instance must not start.
/// </summary>
internal sealed class DataDirectoryLock : IDisposable
{
    private const string FileName = "sliceauth.lock";

    private readonly FileStream _stream;

    private DataDirectoryLock(FileStream stream) => _stream = stream;

    public static DataDirectoryLock Acquire(string directory)
    {
        try
        {
            // FileShare.None is an flock(LOCK_EX) on Unix: held until this process closes it or dies.
            return new DataDirectoryLock(new FileStream(
                Path.Combine(directory, FileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException) when (IsWritable(directory))
        {
            throw new StorageUnavailableException(
                $"The data directory '{directory}' is in use by another SliceAuth instance. " +
                "Stop that instance or point Storage:DataDirectory elsewhere.");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StorageUnavailableException(
                $"The data directory '{directory}' is not writable ({e.Message}). " +
                "SliceAuth needs to read and write there; fix its permissions or point Storage:DataDirectory elsewhere.", e);
        }
    }

    // The lock file could not be opened: if a new file can be written beside it, someone else holds the lock.
    private static bool IsWritable(string directory)
    {
        try
        {
            using (File.Create(Path.Combine(directory, $".probe-{Guid.NewGuid():N}"), 1, FileOptions.DeleteOnClose)) { }
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    public void Dispose() => _stream.Dispose();
}
