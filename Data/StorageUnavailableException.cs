namespace SliceAuth.Data;

/// <summary>The data directory or the database cannot be used; the message says which path and what to do.</summary>
public sealed class StorageUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
