using System.Net;
using SliceAuth.Tests.Infrastructure;

namespace SliceAuth.Tests.Features.LoginSecondFactor;

/// <summary>TOTP secrets are stored encrypted with the Data Protection key ring; without its key they cannot be read.</summary>
[Trait("Storage", "LiteDb")]
public sealed class LostKeyRingTests : IDisposable
{
    private readonly string _dir = TempDirectory.Create();

    [Fact]
    public async Task A_secret_whose_key_is_gone_gets_503_with_Retry_After_and_no_session()
    {
        var clock = new ManualClock();
        string secret;
        using (var first = new SliceAuthApp(_dir, clock: clock))
        {
            var client = first.Client();
            var cookie = await client.RegisterAndLogin("keyless");
            (secret, _) = await client.EnableTotp(cookie, clock);
        }
        // The data directory restored without its keys: a new key ring is made at the next start.
        Directory.Delete(Path.Combine(_dir, SliceAuth.Data.LiteDb.LiteDbSetup.KeyRingDirectory), recursive: true);
        clock.Advance(TimeSpan.FromMinutes(2));

        using var second = new SliceAuthApp(_dir, clock: clock);
        var again = second.Client();
        var pending = await again.LoginPending("keyless");
        var answer = await again.LoginSecondFactor(pending, TwoFactorApi.CodeAt(secret, clock));

        await answer.Problem(HttpStatusCode.ServiceUnavailable);
        Assert.True(answer.Headers.RetryAfter is not null);
        var setCookies = answer.Headers.TryGetValues("Set-Cookie", out var all) ? all.ToList() : [];
        Assert.DoesNotContain(setCookies, c => c.StartsWith("sliceauth=") && !c.StartsWith("sliceauth=;"));
    }

    public void Dispose() => TempDirectory.Delete(_dir);
}
