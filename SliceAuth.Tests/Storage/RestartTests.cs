using System.Net;
using SliceAuth.Tests.Infrastructure;

namespace SliceAuth.Tests.Storage;

/// <summary>Everything that must survive a restart lives in the data directory.</summary>
public sealed class RestartTests : IDisposable
{
    private readonly string _dir = TempDirectory.Create();

    [Fact]
    public async Task A_restart_keeps_users_sessions_and_the_logged_out_state()
    {
        var clock = new ManualClock();
        string live, loggedOut;
        using (var first = new SliceAuthApp(_dir, clock: clock))
        {
            var client = first.Client();
            live = await client.RegisterAndLogin("survivor");
            loggedOut = (await client.Login("survivor")).SessionCookie();
            await client.Logout(loggedOut);
        }

        using var second = new SliceAuthApp(_dir, clock: clock);
        var again = second.Client();

        Assert.Equal(HttpStatusCode.OK, (await again.Get("/protected", live)).StatusCode);      // key ring kept
        await (await again.Get("/protected", loggedOut)).Problem(HttpStatusCode.Unauthorized); // still dead
        Assert.Equal(HttpStatusCode.OK, (await again.Login("survivor")).StatusCode);            // pepper kept
        await (await again.Register("SURVIVOR")).Problem(HttpStatusCode.Conflict);              // user kept
    }

    [Trait("Storage", "LiteDb")]
    [Fact]
    public async Task The_pepper_from_configuration_is_used_and_not_written_to_disk()
    {
        var settings = new Dictionary<string, string?> { ["Auth:Pepper"] = new string('p', 40) };
        using (var app = new SliceAuthApp(_dir, settings))
            await app.Client().RegisterAndLogin("peppered");

        Assert.False(File.Exists(Path.Combine(_dir, SliceAuth.Auth.Pepper.FileName)));

        // The fingerprint kept with the data is the configured pepper's: proof the configured one was used.
        using var again = new SliceAuthApp(_dir, settings);
        Assert.Equal(SliceAuth.Auth.PepperFingerprint.Of(System.Text.Encoding.UTF8.GetBytes(settings["Auth:Pepper"]!)),
            again.Service<SliceAuth.Auth.IPepperFingerprintStore>().Read());
        Assert.Equal(HttpStatusCode.OK, (await again.Client().Login("peppered")).StatusCode);
    }

    public void Dispose() => TempDirectory.Delete(_dir);
}
