using SliceAuth.Auth;
using SliceAuth.Tests.Infrastructure;

namespace SliceAuth.Tests.Features.Login;

/// <summary>
/// No timing oracle: an unknown username must cost a bcrypt verification, like a wrong password. Measured
/// as work done, not seconds: at work factor 10 a verification is ~65 ms, so the skipped-bcrypt path
/// (a fraction of a millisecond) is more than 20x apart; medians of several tries absorb noise.
/// </summary>
public sealed class TimingTests : IDisposable
{
    private readonly SliceAuthApp _app = new(settings: new Dictionary<string, string?> { ["Auth:BcryptWorkFactor"] = "10" });

    [Fact]
    public async Task Unknown_user_costs_the_same_bcrypt_work_as_a_wrong_password()
    {
        var client = _app.Client();
        (await client.Register("timed")).EnsureSuccessStatusCode();
        await client.Login("warmup", "whatever password"); // first decoy use pays its lazy set-up

        var wrongPassword = await MedianMs(() => client.Login("timed", "wrong password here"));
        var unknownUser = await MedianMs(() => client.Login("no-such-user", "wrong password here"));

        // Both must include a bcrypt verification (tens of ms); neither may be the other's fraction.
        Assert.InRange(unknownUser / wrongPassword, 0.5, 2.0);
    }

    private static async Task<double> MedianMs(Func<Task<HttpResponseMessage>> call)
    {
        var times = new List<double>();
        for (var i = 0; i < 5; i++)
        {
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            await call();
            times.Add(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        times.Sort();
        return times[2];
    }

    public void Dispose() => _app.Dispose();
}
