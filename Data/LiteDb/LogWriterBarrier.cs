using System.Diagnostics;
using System.Reflection;
using LiteDB;

namespace SliceAuth.Data.LiteDb;

/// <summary>
/// LiteDB 5.0.20 commits by queueing the transaction's pages for a background writer and returns before they
/// reach the log file. So a crash in that window loses a write the client was told succeeded, and a write the
/// disk refuses (full) fails on the writer thread while the request that made it succeeds. This waits, after a
/// write, until the writer has handed every queued page to the operating system, and throws if it failed.
/// LiteDB has no public call for it, so it reads the writer's private state; the version is pinned, and the
/// members are looked up when the database opens, so a LiteDB that changed them fails at start, not later.
/// </summary>
internal sealed class LogWriterBarrier
{
    private static readonly Lazy<Members> Private = new(Members.Find);

    private readonly object _engineState;
    private readonly Lazy<object> _queue;

    public LogWriterBarrier(LiteDatabase db)
    {
        var m = Private.Value;
        var engine = m.EngineOfDatabase.GetValue(db) ?? throw Unsupported("the database has no engine");
        _engineState = m.StateOfEngine.GetValue(engine) ?? throw Unsupported("the engine has no state");
        var disk = m.DiskOfEngine.GetValue(engine) ?? throw Unsupported("the engine has no disk service");
        var lazyQueue = m.QueueOfDisk.GetValue(disk) ?? throw Unsupported("the disk service has no writer queue");
        // Lazy<DiskWriterQueue>, created by the first write; asking for it here only creates it earlier.
        _queue = new(() => m.LazyValue.GetValue(lazyQueue) ?? throw Unsupported("the writer queue is null"));
    }

    /// <summary>Blocks until every page committed so far has been written, or throws the writer's failure.</summary>
    public void Wait(TimeSpan timeout)
    {
        var m = Private.Value;
        var queue = _queue.Value;
        var empty = (ManualResetEventSlim)m.QueueIsEmpty.GetValue(queue)!;
        var waited = Stopwatch.StartNew();
        // A failed writer never signals "empty", so look for its failure between short waits.
        while (!empty.Wait(TimeSpan.FromMilliseconds(20)))
        {
            ThrowIfFailed(m, queue);
            if (waited.Elapsed > timeout)
                throw new IOException($"The database log writer did not finish within {timeout.TotalSeconds:0.#} s.");
        }
        ThrowIfFailed(m, queue);
    }

    /// <summary>
    /// The writer records its failure on itself after closing the engine with it. When a fresh engine's first
    /// write fails, closing blocks that writer thread for good and it never records it, so the engine's
    /// record is read too.
    /// </summary>
    private void ThrowIfFailed(Members m, object queue)
    {
        var failure = m.WriterFailure.GetValue(queue) as Exception ?? m.EngineFailure.GetValue(_engineState) as Exception;
        if (failure is not null)
            throw new IOException($"Writing the database log failed: {failure.Message}", failure);
        if (m.EngineClosed.GetValue(_engineState) is true)
            throw new IOException("The database closed while a write was waiting for its log writer.");
    }

    private sealed record Members(
        FieldInfo EngineOfDatabase, FieldInfo StateOfEngine, FieldInfo EngineClosed, FieldInfo EngineFailure,
        FieldInfo DiskOfEngine, FieldInfo QueueOfDisk, PropertyInfo LazyValue, FieldInfo QueueIsEmpty, FieldInfo WriterFailure)
    {
        public static Members Find()
        {
            var queueOfDisk = Field(Type("LiteDB.Engine.DiskService"), "_queue");
            var queueType = Type("LiteDB.Engine.DiskWriterQueue");
            var stateType = Type("LiteDB.Engine.EngineState");
            return new(
                Field(typeof(LiteDatabase), "_engine"),
                Field(Type("LiteDB.Engine.LiteEngine"), "_state"),
                stateType.GetField("Disposed") ?? throw Unsupported("EngineState.Disposed is missing"),
                Field(stateType, "_exception"),
                Field(Type("LiteDB.Engine.LiteEngine"), "_disk"),
                queueOfDisk,
                queueOfDisk.FieldType.GetProperty("Value") ?? throw Unsupported("DiskService._queue is not a Lazy"),
                Field(queueType, "_queueIsEmpty"),
                Field(queueType, "_exception"));
        }

        private static Type Type(string name) =>
            typeof(LiteDatabase).Assembly.GetType(name) ?? throw Unsupported($"type {name} is missing");

        private static FieldInfo Field(Type type, string name) =>
            type.GetField(name, BindingFlags.Instance | BindingFlags.NonPublic) ?? throw Unsupported($"{type.Name}.{name} is missing");
    }

    private static InvalidOperationException Unsupported(string what) => new(
        $"LiteDB {typeof(LiteDatabase).Assembly.GetName().Version} is not the version SliceAuth was built against " +
        $"(5.0.20): {what}. SliceAuth needs it to know when a write has reached the disk.");
}
