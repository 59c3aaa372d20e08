using SliceAuth.Audit;
using SliceAuth.Tests.Infrastructure;

namespace SliceAuth.Tests.Operability;

public sealed class AuditLogTests : AppTest
{
    private IEnumerable<CapturedLogs.Entry> Audit => App.Logs.Entries.Where(e => e.Category == AuditLog.Category);

    [Fact]
    public async Task A_failed_login_leaves_no_trace_of_the_password_in_any_log()
    {
        const string canary = "CANARY-7f3a9c-password";
        (await Client.Register("canary")).EnsureSuccessStatusCode();

        await Client.Login("canary", canary);
        await Client.Login("nobody", canary);

        Assert.NotEmpty(App.Logs.Entries);
        Assert.DoesNotContain(App.Logs.Entries, e => e.AllText.Contains(canary));
        Assert.Equal(2, Audit.Count(e => e.EventName == "login.failed"));
    }

    [Fact]
    public async Task Logs_never_carry_hashes_cookies_or_the_pepper()
    {
        var cookie = await Client.RegisterAndLogin("secretive");
        await Client.Get("/protected", cookie);
        await Client.Logout(cookie);
        var hash = App.StoredUsers().Single().PasswordHash;
        var pepper = Convert.ToBase64String(App.Service<SliceAuth.Auth.Pepper>().Key);

        var everything = string.Join('\n', App.Logs.Entries.Select(e => e.AllText));

        Assert.DoesNotContain(Api.Password, everything);
        Assert.DoesNotContain(hash, everything);
        Assert.DoesNotContain(pepper, everything);
        Assert.DoesNotContain(cookie.Split('=', 2)[1], everything);
    }

    [Fact]
    public async Task Each_account_and_session_change_is_one_audit_event_with_its_fields()
    {
        (await Client.Register("  Audited ")).EnsureSuccessStatusCode();
        var login = await Client.Login("AUDITED");
        var cookie = login.SessionCookie();
        await Client.Login("audited", "wrong password here");
        var second = (await Client.Login("audited")).SessionCookie();
        await Client.Logout(second);
        var third = (await Client.Login("audited")).SessionCookie();
        App.Clock.Advance(TimeSpan.FromMinutes(31));
        await Client.Get("/protected", third);

        var events = Audit.ToList();
        Assert.Equal(["user.registered", "email.verification_sent", "login.succeeded", "login.failed", "login.succeeded", "logout", "login.succeeded",
                "session.expired"],
            events.Select(e => e.EventName));
        Assert.All(events, e => Assert.Equal("audited", e.Values["Username"])); // the normalised name
        Assert.All(events, e => Assert.True(e.Values.ContainsKey("ClientAddress"))); // the test server has no address to give
        var loginHandle = events[4].Values["SessionHandle"];
        Assert.False(string.IsNullOrEmpty(loginHandle));
        Assert.Equal(loginHandle, events[5].Values["SessionHandle"]); // logout names the session it ended
        Assert.Equal(events[6].Values["SessionHandle"], events[7].Values["SessionHandle"]);
    }
}
