using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using SliceAuth.Email;
using SliceAuth.Tests.Infrastructure;
using static SliceAuth.Tests.Email.MailTestKit;

namespace SliceAuth.Tests.Email;

/// <summary>Sending never holds up or fails the caller: a full queue drops, a dead server is retried then logged.</summary>
public sealed class MailQueueTests
{
    [Fact]
    public async Task A_full_queue_drops_new_mail_with_a_warning_and_never_makes_the_caller_wait()
    {
        var gate = new GateTransport();
        using var app = new SliceAuthApp(settings: new Dictionary<string, string?> { ["Email:QueueCapacity"] = "2" },
            services: s => s.Replace(ServiceDescriptor.Singleton<IMailTransport>(gate)));
        var mail = app.Service<AccountMail>();
        var tokens = Enumerable.Range(0, 6).Select(_ => Token()).ToList();

        mail.ResetPassword(Account("first"), tokens[0]);
        await gate.WaitUntil(g => g.Arrived == 1); // the sender holds the first one at the gate: the queue is empty
        // Two fit in the queue, three do not; with the transport stuck, all five calls still return at once.
        await Task.Run(() =>
        {
            for (var i = 1; i < tokens.Count; i++) mail.ResetPassword(Account($"user{i}"), tokens[i]);
        }).WaitAsync(TimeSpan.FromSeconds(10));

        var dropped = App(app).Where(e => e.Level == LogLevel.Warning && e.Message.Contains("dropped")).ToList();
        Assert.Equal(["user3", "user4", "user5"], dropped.Select(e => e.Values["UsernameKey"]));
        gate.Open();
        await gate.WaitUntil(g => g.Sent == 3);
        Assert.Equal(3, gate.Arrived); // the dropped ones never reach the transport
        Assert.All(app.Logs.Entries, e => Assert.All(tokens, t => Assert.DoesNotContain(t, e.AllText)));
    }

    [Fact]
    public async Task With_the_smtp_server_down_a_mail_is_retried_then_logged_once_without_its_token_and_the_app_keeps_answering()
    {
        using var app = new SliceAuthApp(settings: new Dictionary<string, string?>
        {
            ["Email:Smtp:Host"] = "127.0.0.1",
            ["Email:Smtp:Port"] = ClosedPort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Email:Smtp:Security"] = "None",
            ["Email:SendAttempts"] = "3",
            ["Email:FirstRetryDelay"] = "00:00:00.010",
        });
        var user = Account("bob");
        var token = Token();

        app.Service<AccountMail>().ResetPassword(user, token);
        var client = app.Client();
        Assert.Equal(System.Net.HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);

        var failure = await app.Logs.WaitForLog(e => e.Category == typeof(MailSender).FullName && e.Level == LogLevel.Warning);
        Assert.Equal("ResetPassword", failure.Values["MailKind"]);
        Assert.Equal("bob", failure.Values["UsernameKey"]);
        var sender = app.Logs.From<MailSender>();
        Assert.Equal(2, sender.Count(e => e.Level == LogLevel.Information)); // attempts 1 and 2 failed, then the last
        Assert.Single(sender, e => e.Level >= LogLevel.Warning);
        Assert.All(app.Logs.Entries, e => Assert.DoesNotContain(token, e.AllText));
        Assert.All(app.Logs.Entries, e => Assert.DoesNotContain(Uri.EscapeDataString(token), e.AllText));
        Assert.Equal(System.Net.HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
    }

    private static IReadOnlyList<CapturedLogs.Entry> App(SliceAuthApp app) => app.Logs.From<MailQueue>();
}
