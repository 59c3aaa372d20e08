using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SliceAuth.Auth;
using SliceAuth.Data.LiteDb;
using SliceAuth.Tests.Infrastructure;

namespace SliceAuth.Tests.Metrics;

/// <summary>The two 503s, counted: the bcrypt queue full (a login "overloaded") and a storage fault.</summary>
[Collection(MetricsCollection.Name)]
public sealed class OverloadTests
{
    private static readonly Dictionary<string, string?> Enabled = new()
    {
        ["Metrics:Enabled"] = "true",
        ["Auth:HashingQueueLimit"] = "1",
    };

    [Fact]
    public async Task A_login_refused_because_the_bcrypt_queue_is_full_counts_as_overloaded()
    {
        var stuck = new StuckHasher();
        using var app = new SliceAuthApp(settings: Enabled, services: ClientAddress.Is("127.0.0.1") + stuck.Install);
        var client = app.Client();
        var before = await client.Scrape();

        // Every bcrypt thread busy, then two more checks for a queue of one: one waits, one is refused.
        var threads = Environment.ProcessorCount;
        var logins = new List<Task<HttpResponseMessage>>();
        for (var i = 0; i < threads; i++) // one at a time: two at once could meet in the queue of one
        {
            logins.Add(client.Login($"nobody{i}", "some password here"));
            Assert.True(await stuck.WaitRunning(i + 1), "a bcrypt thread never took the check");
        }
        var queued = new[] { client.Login("queued1", "some password here"), client.Login("queued2", "some password here") };
        var refused = await Task.WhenAny(queued);
        await (await refused).Problem(HttpStatusCode.ServiceUnavailable);
        stuck.Release();
        var rest = await Task.WhenAll(logins.Append(queued.Single(q => q != refused)));
        Assert.All(rest, r => Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode));

        var after = await client.Scrape();
        Assert.Equal(1, after.Delta(before, "sliceauth_logins_total", ("outcome", "overloaded")));
        Assert.Equal(threads + 1, after.Delta(before, "sliceauth_logins_total", ("outcome", "failed")));
        Assert.Equal(1, after.Delta(before, "sliceauth_password_refused_total"));
        Assert.Equal(threads + 1, after.Delta(before, "sliceauth_password_queue_wait_seconds_count"));
        Assert.Equal(0, after.Delta(before, "sliceauth_storage_faults_total"));
    }

    [Fact]
    [Trait("Storage", "LiteDb")]
    public async Task A_request_answered_503_for_a_storage_fault_is_counted()
    {
        using var app = new SliceAuthApp(settings: Enabled, services: ClientAddress.Is("127.0.0.1"));
        var client = app.Client();
        (await client.Register("faulty")).EnsureSuccessStatusCode();
        var before = await client.Scrape();

        app.Service<LiteDbDatabase>().Dispose(); // what a closed or broken database looks like
        await (await client.Login("faulty")).Problem(HttpStatusCode.ServiceUnavailable);

        var after = await client.Scrape();
        Assert.Equal(1, after.Delta(before, "sliceauth_storage_faults_total"));
        Assert.Equal(0, after.Delta(before, "sliceauth_logins_total")); // no outcome: the account could not be read
    }

    /// <summary>A hasher whose checks hold their bcrypt thread until released: the queue behind them fills.</summary>
    private sealed class StuckHasher
    {
        private readonly ManualResetEventSlim _release = new();
        private int _running;

        public void Install(IServiceCollection services) =>
            services.Replace(ServiceDescriptor.Singleton<IPasswordHasher>(sp => new Hasher(sp.GetRequiredService<PasswordWorkers>(), this)));

        public void Release() => _release.Set();

        public async Task<bool> WaitRunning(int count)
        {
            var limit = Stopwatch.StartNew();
            while (Volatile.Read(ref _running) < count)
            {
                if (limit.Elapsed > TimeSpan.FromSeconds(10)) return false;
                await Task.Delay(5);
            }
            return true;
        }

        private sealed class Hasher(PasswordWorkers workers, StuckHasher stuck) : IPasswordHasher
        {
            public Task<string> HashAsync(string password) => throw new NotSupportedException("only checks in this test");

            public Task<bool> VerifyAsync(string password, string hash) => Hold();

            public Task VerifyDecoyAsync(string password) => Hold();

            public bool NeedsRehash(string hash) => false;

            private Task<bool> Hold() => workers.Run(() =>
            {
                Interlocked.Increment(ref stuck._running);
                stuck._release.Wait();
                return false;
            });
        }
    }
}
