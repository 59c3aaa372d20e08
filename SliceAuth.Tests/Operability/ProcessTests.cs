using System.Net;
using System.Text.Json;
using SliceAuth.Tests.Infrastructure;

namespace SliceAuth.Tests.Operability;

/// <summary>The service as a real process on a real socket: signals, restarts, a second instance, the log format.</summary>
public sealed class ProcessTests : IDisposable
{
    private readonly string _dir = TempDirectory.Create();

    [Fact]
    public async Task SIGTERM_lets_an_in_flight_login_finish_and_the_next_start_keeps_everything()
    {
        // Work factor 13 makes a login take long enough (~0.5 s) to still be running when the signal lands.
        var slow = new Dictionary<string, string> { ["Auth__BcryptWorkFactor"] = "13" };
        string cookie;
        using (var first = AppProcess.Start(_dir, slow))
        {
            await first.WaitUntilReady();
            var client = first.Client();
            cookie = await client.RegisterAndLogin("graceful");

            var inFlight = client.Login("graceful");
            await Task.Delay(150);
            first.Terminate();

            Assert.Equal(HttpStatusCode.OK, (await inFlight).StatusCode);
            Assert.Equal(0, await first.WaitForExit(TimeSpan.FromSeconds(20)));
        }

        using var second = AppProcess.Start(_dir, slow);
        var startup = await second.WaitUntilReady();
        var again = second.Client();
        Assert.Equal(HttpStatusCode.OK, (await again.Get("/protected", cookie)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await again.Login("graceful")).StatusCode);
        Assert.True(startup < TimeSpan.FromSeconds(15), $"restart took {startup}"); // a bound for a stuck start, not a speed target
    }

    [Trait("Storage", "LiteDb")]
    [Fact]
    public async Task A_second_process_on_the_same_data_directory_exits_non_zero_naming_it()
    {
        using var first = AppProcess.Start(_dir);
        await first.WaitUntilReady();
        var cookie = await first.Client().RegisterAndLogin("first");

        using var second = AppProcess.Start(_dir);
        var exitCode = await second.WaitForExit(TimeSpan.FromSeconds(30));

        Assert.NotEqual(0, exitCode);
        Assert.Equal(1, exitCode);
        Assert.Contains(second.Output, line => line.Contains(Path.GetFullPath(_dir)) && line.Contains("another SliceAuth instance"));
        Assert.Equal(HttpStatusCode.OK, (await first.Client().Get("/protected", cookie)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await first.Client().Login("first")).StatusCode);
    }

    [Fact]
    public async Task An_invalid_setting_exits_1_with_one_line_naming_the_key_and_no_stack_trace()
    {
        using var app = AppProcess.Start(_dir, new Dictionary<string, string> { ["Auth__BcryptWorkFactor"] = "99" });

        // The whole output, stdout and stderr: the host's own "Hosting failed to start" log would be a second line.
        await app.AssertRefusedInOneLine("Auth:BcryptWorkFactor");
    }

    [Trait("Storage", "LiteDb")]
    [Fact]
    public async Task A_damaged_pepper_file_stops_the_start_rather_than_being_replaced()
    {
        using (var first = AppProcess.Start(_dir))
        {
            await first.WaitUntilReady();
            await first.Client().RegisterAndLogin("peppered");
        }
        var pepper = Path.Combine(_dir, SliceAuth.Auth.Pepper.FileName);
        File.WriteAllText(pepper, "not base64 at all!");

        using var second = AppProcess.Start(_dir);

        await second.AssertRefusedInOneLine(pepper);
        Assert.Equal("not base64 at all!", File.ReadAllText(pepper));
    }

    [Fact]
    public async Task With_json_logging_each_line_is_a_JSON_object_and_audit_events_carry_the_client_address()
    {
        using var app = AppProcess.Start(_dir, new Dictionary<string, string> { ["Logging__Format"] = "json" });
        await app.WaitUntilReady();
        const string canary = "CANARY-json-password-1";
        await app.Client().Login("nobody", canary);
        await Task.Delay(300); // console logging is asynchronous

        var lines = app.Output.Where(l => l.TrimStart().StartsWith('{')).ToList();
        Assert.NotEmpty(lines);
        Assert.All(app.Output.Where(l => !string.IsNullOrWhiteSpace(l)), l => JsonDocument.Parse(l));
        var failed = lines.Select(l => JsonDocument.Parse(l).RootElement).Single(e => e.GetProperty("EventId").GetInt32() == 1003);
        Assert.Equal("127.0.0.1", failed.GetProperty("State").GetProperty("ClientAddress").GetString());
        Assert.Equal("nobody", failed.GetProperty("State").GetProperty("Username").GetString());
        Assert.DoesNotContain(app.Output, l => l.Contains(canary));
    }

    [Theory]
    [InlineData("text")]
    [InlineData("json")]
    public async Task Audit_events_can_be_found_by_their_documented_names_in_either_log_format(string format)
    {
        using var app = AppProcess.Start(_dir, new Dictionary<string, string> { ["Logging__Format"] = format });
        await app.WaitUntilReady();
        var client = app.Client();
        (await client.Register("findme")).EnsureSuccessStatusCode();
        await client.Login("findme", "not the password at all");
        await Task.Delay(300); // console logging is asynchronous

        foreach (var name in new[] { "user.registered", "login.failed" })
        {
            var line = Assert.Single(app.Output, l => l.Contains(name));
            Assert.Contains("findme", line);
            if (format == "json")
                Assert.StartsWith(name + ":", JsonDocument.Parse(line).RootElement.GetProperty("Message").GetString());
        }
    }

    public void Dispose() => TempDirectory.Delete(_dir);
}
