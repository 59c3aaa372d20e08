using Microsoft.Extensions.DependencyInjection;
using SliceAuth.Data;

namespace SliceAuth.Tests.Storage.Contract;

/// <summary>
/// What every storage contract needs before its promises: the engine under test on storage of its own, its stores,
/// an account to work on and a way to release many calls at once. A contract derives from this and resolves its
/// stores with <see cref="Service{T}"/>; an engine is one subclass of the contract that implements
/// <see cref="AddStorage"/> (see <see cref="LiteDbContractStorage"/>, <see cref="PostgresContractStorage"/>).
/// </summary>
public abstract class StorageContract : IDisposable
{
    /// <summary>The moment the contracts' records are made at; every time a test asks about is relative to it.</summary>
    protected static readonly DateTime T0 = new(2026, 12, 7, 12, 0, 0, DateTimeKind.Utc);

    private readonly ServiceProvider _services;
    private readonly IDisposable? _storage;

    protected StorageContract()
    {
        var services = new ServiceCollection().AddLogging();
        _storage = AddStorage(services);
        _services = services.BuildServiceProvider();
    }

    /// <summary>
    /// Registers the engine under test, on storage of its own that is empty; returns what to clean up once the
    /// stores are disposed (a temporary directory), or null when there is nothing.
    /// </summary>
    protected abstract IDisposable? AddStorage(IServiceCollection services);

    // Resolved on use, not in the constructor: a contract whose engine has no account store (a throttle) must still start.
    protected IAccountStore Accounts => Service<IAccountStore>();

    protected ISessionRecords Sessions => Service<ISessionRecords>();

    protected T Service<T>() where T : notnull => _services.GetRequiredService<T>();

    public void Dispose()
    {
        _services.Dispose();
        _storage?.Dispose();
        GC.SuppressFinalize(this);
    }

    protected static User NewUser(string name, string? email = null, string? lookalike = null, bool verified = false) => new()
    {
        Id = Guid.NewGuid(),
        Username = name,
        UsernameKey = name.ToLowerInvariant(),
        UsernameLookalikeKey = lookalike ?? "skeleton:" + name.ToLowerInvariant(),
        Email = email ?? $"{name}@example.com",
        EmailKey = (email ?? $"{name}@example.com").ToLowerInvariant(),
        EmailVerified = verified,
        PasswordHash = "hash-of-" + name,
        CredentialStamp = Guid.NewGuid(),
        CreatedAt = T0,
    };

    /// <summary>A new account named <paramref name="name"/>, added (which must succeed).</summary>
    protected async Task<User> Added(string name, string? email = null, bool verified = false)
    {
        var user = NewUser(name, email, verified: verified);
        Assert.Equal(AddAccountResult.Added, await Accounts.TryAddAsync(user));
        return user;
    }

    /// <summary>
    /// Runs <paramref name="count"/> calls released at once on the thread pool, after as many reads at once: an
    /// engine with a connection pool has its connections open, so the calls overlap instead of queueing on opening.
    /// </summary>
    protected async Task<T[]> AllAtOnce<T>(int count, Func<int, Task<T>> call)
    {
        await Race(count, _ => Accounts.FindByIdAsync(Guid.NewGuid()));
        return await Race(count, call);
    }

    /// <summary>Runs <paramref name="count"/> calls on the thread pool, each held until all are started, then let go together.</summary>
    protected static async Task<T[]> Race<T>(int count, Func<int, Task<T>> call)
    {
        using var start = new ManualResetEventSlim();
        var calls = Enumerable.Range(0, count).Select(i => Task.Run(() =>
        {
            start.Wait();
            return call(i);
        })).ToList();
        start.Set();
        return await Task.WhenAll(calls);
    }
}
