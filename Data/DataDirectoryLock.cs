namespace SliceAuth.Data;

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
        catch (IOException)
        {
            throw new InvalidOperationException(
                $"The data directory '{directory}' is in use by another SliceAuth instance. " +
                "Stop that instance or point Storage:DataDirectory elsewhere.");
        }
    }

    public void Dispose() => _stream.Dispose();
}
