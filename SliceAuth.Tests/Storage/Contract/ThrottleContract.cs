using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SliceAuth.Auth;
using SliceAuth.Tests.Infrastructure;

namespace SliceAuth.Tests.Storage.Contract;

/// <summary>
/// What every <see cref="ILoginThrottle"/> promises the password check, run unchanged against the in-memory
/// one (one instance) and the PostgreSQL one (shared by every instance): at most MaxFailures places per account
/// within the window, however many ask at once; a failure keeps its place for the window, a success clears
/// the failures, a check without a verdict gives its place back.
/// </summary>
public abstract class ThrottleContract : StorageContract
{
    private const int Max = 10;
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(15);

    protected ThrottleContract() => Throttle = Service<ILoginThrottle>();

    protected ManualClock Clock { get; } = new(); // set before the base constructor registers it

    protected ILoginThrottle Throttle { get; }

    /// <summary>Registers the throttle under test, on storage of its own.</summary>
    protected abstract void AddThrottle(IServiceCollection services);

    protected sealed override IDisposable? AddStorage(IServiceCollection services)
    {
        services.AddSingleton<TimeProvider>(Clock);
        services.AddSingleton(Options.Create(new AuthOptions { LoginThrottle = new LoginThrottleOptions { MaxFailures = Max, Window = Window } }));
        AddThrottle(services);
        return null;
    }

    private async Task Fail(string key, int times)
    {
        for (var i = 0; i < times; i++)
        {
            Assert.Null(await Throttle.TryReserveAsync(key));
            await Throttle.RecordFailureAsync(key);
        }
    }

    [Fact]
    public async Task However_many_ask_at_once_at_most_the_limit_get_a_place()
    {
        var answers = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => Task.Run(() => Throttle.TryReserveAsync("crowd"))));

        Assert.Equal(Max, answers.Count(a => a is null));
        Assert.All(answers.Where(a => a is not null), a => Assert.InRange(a!.Value, TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public async Task The_limit_of_failures_refuses_the_account_until_the_oldest_leaves_the_window()
    {
        await Fail("guessed", Max);

        Assert.Equal(Window, await Throttle.TryReserveAsync("guessed"));
        Assert.Null(await Throttle.TryReserveAsync("another"));

        Clock.Advance(Window);
        Assert.Null(await Throttle.TryReserveAsync("guessed"));
    }

    [Fact]
    public async Task A_success_clears_the_failures()
    {
        await Fail("forgetful", Max - 1);
        Assert.Null(await Throttle.TryReserveAsync("forgetful"));
        await Throttle.ResetAsync("forgetful");

        await Fail("forgetful", Max); // all ten places free again
        Assert.NotNull(await Throttle.TryReserveAsync("forgetful"));
    }

    [Fact]
    public async Task A_check_without_a_verdict_gives_its_place_back()
    {
        for (var i = 0; i < Max; i++) Assert.Null(await Throttle.TryReserveAsync("overloaded"));
        Assert.NotNull(await Throttle.TryReserveAsync("overloaded"));

        await Throttle.ReleaseAsync("overloaded");

        Assert.Null(await Throttle.TryReserveAsync("overloaded"));
    }

    [Fact]
    public async Task Forgetting_stale_entries_keeps_failures_within_the_window()
    {
        await Fail("recent", Max);
        Clock.Advance(Window / 2);
        await Throttle.ForgetStaleAsync();

        Assert.NotNull(await Throttle.TryReserveAsync("recent"));
    }
}

[Trait("Storage", "LiteDb")]
public sealed class InMemoryThrottleContract : ThrottleContract
{
    protected override void AddThrottle(IServiceCollection services) => services.AddSingleton<ILoginThrottle, LoginThrottle>();
}
