using System.Net;
using SliceAuth.Tests.Infrastructure;

namespace SliceAuth.Tests.Hardening;

/// <summary>The per-account limit under a real race: no gate, many parallel wrong passwords, real bcrypt.</summary>
// A work factor high enough that the checks overlap (about 15 ms each here) rather than run one by one.
public sealed class ParallelThrottleTests() : AppTest(settings: new Dictionary<string, string?> { ["Auth:BcryptWorkFactor"] = "8" })
{
    [Fact]
    public async Task Sixty_parallel_wrong_passwords_for_one_account_get_exactly_MaxFailures_401s_and_429s_for_the_rest()
    {
        var client = Client;
        (await client.Register("stormed")).EnsureSuccessStatusCode();

        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var racers = Enumerable.Range(0, 60).Select(i => Task.Run(async () =>
        {
            await go.Task;
            return await client.Login("stormed", $"parallel guess {i}");
        })).ToArray();
        go.SetResult();
        var replies = await Task.WhenAll(racers);

        Assert.Equal(10, replies.Count(r => r.StatusCode == HttpStatusCode.Unauthorized));
        Assert.Equal(50, replies.Count(r => r.StatusCode == HttpStatusCode.TooManyRequests && r.Headers.RetryAfter?.Delta > TimeSpan.Zero));
    }
}
