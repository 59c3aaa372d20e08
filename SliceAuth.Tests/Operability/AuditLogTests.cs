using SliceAuth.Audit;
using SliceAuth.Tests.Infrastructure;

namespace SliceAuth.Tests.Operability;

public sealed class AuditLogTests : IDisposable
{
    private readonly SliceAuthApp _app = new();
    private readonly HttpClient _client;

    public AuditLogTests() => _client = _app.Client();

    private IEnumerable<CapturedLogs.Entry> Audit => _app.Logs.Entries.Where(e => e.Category == AuditLog.Category);

    [Fact]
    public async Task A_failed_login_leaves_no_trace_of_the_password_in_any_log()
    {
        const string canary = "CANARY-7f3a9c-password";
        (await _client.Register("canary")).EnsureSuccessStatusCode();

        await _client.Login("canary", canary);
        await _client.Login("nobody", canary);

        Assert.NotEmpty(_app.Logs.Entries);
        Assert.DoesNotContain(_app.Logs.Entries, e => e.AllText.Contains(canary));
        Assert.Equal(2, Audit.Count(e => e.EventName == "login.failed"));
    }

    [Fact]
    public async Task Logs_never_carry_hashes_cookies_or_the_pepper()
    {
        var cookie = await _client.RegisterAndLogin("secretive");
        await _client.Get("/protected", cookie);
        await _client.Logout(cookie);
        var hash = _app.Service<SliceAuth.Data.AppDatabase>().Users.FindAll().Single().PasswordHash;
        var pepper = Convert.ToBase64String(_app.Service<SliceAuth.Auth.Pepper>().Key);

        var everything = string.Join('\n', _app.Logs.Entries.Select(e => e.AllText));

        Assert.DoesNotContain(Api.Password, everything);
        Assert.DoesNotContain(hash, everything);
        Assert.DoesNotContain(pepper, everything);
        Assert.DoesNotContain(cookie.Split('=', 2)[1], everything);
    }

    [Fact]
    public async Task Each_account_and_session_change_is_one_audit_event_with_its_fields()
    {
        (await _client.Register("  Audited ")).EnsureSuccessStatusCode();
        var login = await _client.Login("AUDITED");
        var cookie = login.SessionCookie();
        await _client.Login("audited", "wrong password here");
        var second = (await _client.Login("audited")).SessionCookie();
        await _client.Logout(second);
        var third = (await _client.Login("audited")).SessionCookie();
        _app.Clock.Advance(TimeSpan.FromMinutes(31));
        await _client.Get("/protected", third);

        var events = Audit.ToList();
        Assert.Equal(["user.registered", "login.succeeded", "login.failed", "login.succeeded", "logout", "login.succeeded", "session.expired"],
            events.Select(e => e.EventName));
        Assert.All(events, e => Assert.Equal("audited", e.Values["Username"])); // the normalised name
        Assert.All(events, e => Assert.True(e.Values.ContainsKey("ClientAddress"))); // the test server has no address to give
        var loginHandle = events[3].Values["SessionHandle"];
        Assert.False(string.IsNullOrEmpty(loginHandle));
        Assert.Equal(loginHandle, events[4].Values["SessionHandle"]); // logout names the session it ended
        Assert.Equal(events[5].Values["SessionHandle"], events[6].Values["SessionHandle"]);
    }

    public void Dispose() => _app.Dispose();
}
