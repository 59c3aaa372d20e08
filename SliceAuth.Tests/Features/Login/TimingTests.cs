using SliceAuth.Tests.Infrastructure;

namespace SliceAuth.Tests.Features.Login;

/// <summary>
/// No timing oracle: an unknown username must cost a bcrypt verification, like a wrong password. This is a
/// ratio in one run, not a speed target: at work factor 10 a verification is ~65 ms and skipping it leaves
/// well under 3 ms, a 20x gap; the two kinds of attempt are interleaved so machine load hits both alike,
/// and the bounds are wide (4x either way) so only a missing verification fails.
/// </summary>
public sealed class TimingTests() : AppTest(settings: new Dictionary<string, string?> { ["Auth:BcryptWorkFactor"] = "10" })
{
    [Fact]
    public async Task Unknown_user_costs_the_same_bcrypt_work_as_a_wrong_password()
    {
        var client = App.Client();
        (await client.Register("timed")).EnsureSuccessStatusCode();
        await client.Login("warmup", "whatever password"); // first decoy use pays its lazy set-up

        var wrongPassword = new List<double>();
        var unknownUser = new List<double>();
        for (var i = 0; i < 9; i++)
        {
            wrongPassword.Add(await Ms(() => client.Login("timed", "wrong password here")));
            unknownUser.Add(await Ms(() => client.Login("no-such-user", "wrong password here")));
        }

        Assert.InRange(Median(unknownUser) / Median(wrongPassword), 0.25, 4.0);
    }

    private static async Task<double> Ms(Func<Task<HttpResponseMessage>> call)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        await call();
        return System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
}
