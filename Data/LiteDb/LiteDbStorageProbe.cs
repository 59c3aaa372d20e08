namespace SliceAuth.Data.LiteDb;

/// <summary>Readiness for LiteDB: one small durable write (a fault is reported, so recovery starts).</summary>
internal sealed class LiteDbStorageProbe(LiteDbDatabase db) : IStorageProbe
{
    public Task ProbeWriteAsync()
    {
        db.ProbeWrite();
        return Task.CompletedTask;
    }
}
