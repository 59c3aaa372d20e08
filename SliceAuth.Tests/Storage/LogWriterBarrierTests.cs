using SliceAuth.Data.LiteDb;
using LiteDB;
using SliceAuth.Data;

namespace SliceAuth.Tests.Storage;

/// <summary>
/// The barrier against the real LiteDB 5.0.20: its log writer is made to stall or fail through the log stream,
/// the one place the library lets a caller in.
/// </summary>
[Trait("Storage", "LiteDb")]
public sealed class LogWriterBarrierTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Waits_until_the_log_writer_has_written_the_committed_pages()
    {
        using var log = new GatedStream();
        using var db = new LiteDatabase(new MemoryStream(), new BsonMapper(), log);
        var barrier = new LogWriterBarrier(db);

        db.GetCollection("things").Insert(new BsonDocument { ["name"] = "first" }); // returns with its pages queued
        var waiting = Task.Run(() => barrier.Wait(Patience));

        Assert.True(await log.WriteStarted.WaitAsync(Patience), "the insert never reached the log writer");
        await Task.Delay(200);
        Assert.False(waiting.IsCompleted, "the barrier returned while the log writer was still stalled");

        log.Open();
        await waiting.WaitAsync(Patience);
        Assert.True(log.BytesWritten > 0);
    }

    [Fact]
    public async Task Throws_the_log_writers_failure_to_the_write_that_waits()
    {
        using var log = new GatedStream { Failure = new IOException("No space left on device") };
        var db = new LiteDatabase(new MemoryStream(), new BsonMapper(), log);
        try
        {
            var barrier = new LogWriterBarrier(db);

            db.GetCollection("things").Insert(new BsonDocument { ["name"] = "refused" }); // queued; the writer is held
            Assert.True(await log.WriteStarted.WaitAsync(Patience), "the insert never reached the log writer");
            log.Open(); // and now the disk refuses it
            var e = Assert.Throws<IOException>(() => barrier.Wait(Patience));

            Assert.Contains("No space left on device", e.Message);
        }
        finally
        {
            // As the service does. A plain Dispose once let LiteDB's finalizer end this test run (issue #2828).
            FailedDatabase.Release(db);
        }
    }

    [Fact]
    public void Returns_at_once_when_nothing_was_written()
    {
        using var log = new GatedStream();
        using var db = new LiteDatabase(new MemoryStream(), new BsonMapper(), log);

        new LogWriterBarrier(db).Wait(TimeSpan.FromMilliseconds(1)); // the gate is shut, yet there is nothing to wait for

        Assert.Equal(0, log.BytesWritten);
    }

    /// <summary>A log file whose writes block until <see cref="Open"/>, then succeed or throw <see cref="Failure"/>.</summary>
    private sealed class GatedStream : MemoryStream
    {
        private readonly ManualResetEventSlim _gate = new(false);

        public SemaphoreSlim WriteStarted { get; } = new(0);
        public Exception? Failure { get; init; }
        public long BytesWritten { get; private set; }

        public void Open() => _gate.Set();

        public override void Write(byte[] buffer, int offset, int count)
        {
            WriteStarted.Release();
            _gate.Wait();
            if (Failure is not null) throw Failure;
            base.Write(buffer, offset, count);
            BytesWritten += count;
        }

        protected override void Dispose(bool disposing)
        {
            _gate.Set(); // let a stalled writer finish, so LiteDB can close
            base.Dispose(disposing);
        }
    }
}
