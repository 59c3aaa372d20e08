using System.Diagnostics;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SliceAuth.Auth;

namespace SliceAuth.Tests.Infrastructure;

/// <summary>
/// Stands in front of the real bcrypt verification. While closed, every verification that arrives waits
/// (counted) until <see cref="ReleaseHeld"/>; opening it lets new ones through while the held ones stay held.
/// A race between password checks then happens in the order the test chooses.
/// </summary>
public sealed class VerificationGate
{
    private readonly Lock _lock = new();
    private TaskCompletionSource? _closed;
    private int _arrived;
    private int _held;

    /// <summary>Verifications that reached bcrypt (held or not).</summary>
    public int Arrived => Volatile.Read(ref _arrived);

    /// <summary>Verifications waiting at the gate now.</summary>
    public int Held => Volatile.Read(ref _held);

    public void Close()
    {
        lock (_lock) _closed ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>Lets verifications that arrive from now on through; those already held stay held.</summary>
    public TaskCompletionSource? Open()
    {
        lock (_lock)
        {
            var held = _closed;
            _closed = null;
            return held;
        }
    }

    /// <summary>Releases what is held now (and opens the gate if it was closed).</summary>
    public static void ReleaseHeld(TaskCompletionSource? held) => held?.TrySetResult();

    public async Task Pass()
    {
        Interlocked.Increment(ref _arrived);
        Task? wait;
        lock (_lock) wait = _closed?.Task;
        if (wait is null) return;
        Interlocked.Increment(ref _held);
        try { await wait; }
        finally { Interlocked.Decrement(ref _held); }
    }

    /// <summary>Waits until <paramref name="count"/> verifications are held; false if that never happens.</summary>
    public async Task<bool> WaitHeld(int count, TimeSpan? timeout = null)
    {
        var limit = Stopwatch.StartNew();
        while (Held < count)
        {
            if (limit.Elapsed > (timeout ?? TimeSpan.FromSeconds(10))) return false;
            await Task.Delay(5);
        }
        return true;
    }
}

/// <summary>The real hasher, with every verification passing the gate first.</summary>
public sealed class GatedHasher(PasswordHasher real, VerificationGate gate) : IPasswordHasher
{
    public Task<string> HashAsync(string password) => real.HashAsync(password);

    public async Task<bool> VerifyAsync(string password, string hash)
    {
        await gate.Pass();
        return await real.VerifyAsync(password, hash);
    }

    public async Task VerifyDecoyAsync(string password)
    {
        await gate.Pass();
        await real.VerifyDecoyAsync(password);
    }

    public bool NeedsRehash(string hash) => real.NeedsRehash(hash);
}

public static class GatedApp
{
    /// <summary>Puts the gate in front of every password verification.</summary>
    public static void UseGate(this IServiceCollection services, VerificationGate gate) =>
        services.Replace(ServiceDescriptor.Singleton<IPasswordHasher>(sp => new GatedHasher(sp.GetRequiredService<PasswordHasher>(), gate)));
}

/// <summary>Tests that race password checks: the app with a <see cref="VerificationGate"/> in front of bcrypt.</summary>
public abstract class GatedAppTests : AppTest
{
    protected GatedAppTests() : this(new VerificationGate()) { }

    private GatedAppTests(VerificationGate gate) : base(services: services => services.UseGate(gate)) => Gate = gate;

    protected VerificationGate Gate { get; }
}
