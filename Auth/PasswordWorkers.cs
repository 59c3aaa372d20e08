using System.Runtime.InteropServices;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using SliceAuth.Metrics;

namespace SliceAuth.Auth;

/// <summary>
/// bcrypt is slow on purpose; it must not take the rest of the service down with it. Hashes run here, on
/// one dedicated thread per core at a lower scheduling priority (nice 10 on Linux), so a login flood uses
/// the CPU the session checks leave over instead of starving them; and waiting is bounded, so excess
/// logins wait briefly and then get 503 with Retry-After instead of piling up. The bound is time (the oldest
/// waiting hash has waited longer than Auth:HashingMaxWait), not a count: a burst of cheap hashes is served,
/// a backlog of slow ones is refused.
/// </summary>
public sealed class PasswordWorkers : IDisposable
{
    private const int LowerPriority = 10;

    private readonly Channel<WorkItem> _queue;
    private readonly Thread[] _threads;
    private readonly TimeProvider _clock;
    private readonly TimeSpan _maxWait;
    private readonly ILogger _log;
    private readonly SliceAuthMetrics _metrics;

    public PasswordWorkers(IOptions<AuthOptions> options, TimeProvider clock, ILogger<PasswordWorkers> log, SliceAuthMetrics metrics)
    {
        _metrics = metrics;
        _clock = clock;
        _log = log;
        _maxWait = options.Value.HashingMaxWait;
        _queue = Channel.CreateBounded<WorkItem>(new BoundedChannelOptions(options.Value.HashingQueueLimit)
        {
            FullMode = BoundedChannelFullMode.Wait, // TryWrite then fails when full: a hard cap on memory
        });
        _threads = Enumerable.Range(0, Environment.ProcessorCount)
            .Select(i => new Thread(Work) { IsBackground = true, Name = $"bcrypt-{i}" })
            .ToArray();
        foreach (var thread in _threads) thread.Start();
    }

    /// <summary>
    /// Queues the work. When the queue is already behind by more than Auth:HashingMaxWait, waits that long
    /// once (costing no CPU, and slowing a flooding client to one attempt per wait) and then, if it is still
    /// behind, throws <see cref="PasswordWorkersBusyException"/>: the caller answers 503 with Retry-After.
    /// </summary>
    public async Task<T> Run<T>(Func<T> work)
    {
        if (IsBehind())
        {
            await Task.Delay(_maxWait, _clock);
            if (IsBehind()) throw new PasswordWorkersBusyException();
        }
        var item = new WorkItem<T>(work, _clock.GetTimestamp());
        if (!_queue.Writer.TryWrite(item)) throw new PasswordWorkersBusyException();
        return await item.Task;
    }

    private bool IsBehind() =>
        _queue.Reader.TryPeek(out var oldest) && _clock.GetElapsedTime(oldest.QueuedAt) > _maxWait;

    private void Work()
    {
        LowerThisThreadsPriority();
        var reader = _queue.Reader;
        while (reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
            while (reader.TryRead(out var item))
                _metrics.Hashing(_clock.GetElapsedTime(item.QueuedAt), item.Execute);
    }

    /// <summary>Without it a login flood competes with session checks as an equal; an operator should know.</summary>
    private void LowerThisThreadsPriority()
    {
        if (!OperatingSystem.IsLinux()) return;
        if (setpriority(0 /* PRIO_PROCESS: with a thread id, that thread */, gettid(), LowerPriority) == 0) return;
        _log.LogWarning(
            "Could not lower the scheduling priority of {Thread} to nice {Nice} (errno {Errno}): a login flood will slow session checks more",
            Thread.CurrentThread.Name, LowerPriority, Marshal.GetLastPInvokeError());
    }

    public void Dispose() => _queue.Writer.TryComplete();

    private abstract class WorkItem(long queuedAt)
    {
        public long QueuedAt { get; } = queuedAt;

        public abstract void Execute();
    }

    private sealed class WorkItem<T>(Func<T> work, long queuedAt) : WorkItem(queuedAt)
    {
        private readonly TaskCompletionSource<T> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<T> Task => _done.Task;

        public override void Execute()
        {
            try { _done.SetResult(work()); }
            catch (Exception e) { _done.SetException(e); }
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int setpriority(int which, int who, int prio);

    [DllImport("libc", EntryPoint = "gettid")]
    private static extern int gettid();
}

/// <summary>The password queue is full: the service is saturated with logins; the client should retry shortly.</summary>
public sealed class PasswordWorkersBusyException() : Exception("Too many password checks are waiting.");
