using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using SliceAuth.Tests.Infrastructure;

namespace SliceAuth.Tests.Sessions;

/// <summary>
/// A session exists only for the credentials that were checked: a login whose password check was still in
/// flight when the password changed or the account was deleted gets 401 and leaves no session behind, and a
/// deleted account's sessions never answer for a new account with the same name.
/// </summary>
public sealed class CredentialRaceTests : IDisposable
{
    private const string NewPassword = "a new and longer passphrase";

    private readonly SliceAuthApp _app = new();
    private readonly VerificationGate _gate = new();
    private readonly WebApplicationFactory<Program> _gated;
    private readonly HttpClient _client;

    public CredentialRaceTests()
    {
        _gated = _app.WithGate(_gate);
        _client = _gated.NoCookieClient();
    }

    /// <summary>Starts <paramref name="count"/> logins with the right password and holds them at bcrypt.</summary>
    private async Task<(Task<HttpResponseMessage>[] Logins, TaskCompletionSource? Held)> HoldLogins(string username, int count)
    {
        _gate.Close();
        var logins = Enumerable.Range(0, count).Select(_ => Task.Run(() => _client.Login(username))).ToArray();
        Assert.True(await _gate.WaitHeld(count), $"only {_gate.Held} of {count} logins reached bcrypt");
        return (logins, _gate.Open()); // held ones stay held; the change or deletion passes
    }

    /// <summary>A login that lost the race: 401, and no cookie that works (should one have been set).</summary>
    private async Task AssertLeftNoSession(HttpResponseMessage login)
    {
        await login.Problem(HttpStatusCode.Unauthorized);
        if (login.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith("sliceauth=") && !c.StartsWith("sliceauth=;")))
            await (await _client.Get("/protected", login.SessionCookie())).Problem(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_login_in_flight_while_the_password_changes_gets_401_and_leaves_no_session()
    {
        var cookie = await _client.RegisterAndLogin("changer");
        var (logins, held) = await HoldLogins("changer", 3);

        var changed = await _client.Send(HttpMethod.Post, "/me/password", cookie, new { currentPassword = Api.Password, newPassword = NewPassword });
        Assert.Equal(HttpStatusCode.NoContent, changed.StatusCode);
        VerificationGate.ReleaseHeld(held);

        foreach (var login in await Task.WhenAll(logins)) await AssertLeftNoSession(login);
        var sessions = await _client.Sessions(changed.SessionCookie());
        Assert.Equal([true], sessions.Select(s => s.Current));
    }

    [Fact]
    public async Task Logins_in_flight_while_the_account_is_deleted_leave_no_session_even_once_the_name_is_registered_again()
    {
        var cookie = await _client.RegisterAndLogin("doomed");
        var (logins, held) = await HoldLogins("doomed", 3);

        var deleted = await _client.Send(HttpMethod.Delete, "/me", cookie, new { password = Api.Password });
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        var newOwner = await _client.RegisterAndLogin("doomed", NewPassword);
        VerificationGate.ReleaseHeld(held);

        foreach (var login in await Task.WhenAll(logins)) await AssertLeftNoSession(login);
        var sessions = await _client.Sessions(newOwner);
        Assert.Equal([true], sessions.Select(s => s.Current));
        Assert.Equal(HttpStatusCode.OK, (await _client.Get("/protected", newOwner)).StatusCode);
    }

    [Fact]
    public async Task Two_password_changes_in_flight_at_once_apply_only_one_password()
    {
        var cookie = await _client.RegisterAndLogin("twice");
        var second = (await _client.Login("twice")).SessionCookie();

        // Both check the same current password; each then sets a different new one.
        _gate.Close();
        var first = Task.Run(() => _client.Send(HttpMethod.Post, "/me/password", cookie, new { currentPassword = Api.Password, newPassword = NewPassword }));
        Assert.True(await _gate.WaitHeld(1));
        var held = _gate.Open();
        var other = await _client.Send(HttpMethod.Post, "/me/password", second, new { currentPassword = Api.Password, newPassword = "yet another long passphrase" });
        Assert.Equal(HttpStatusCode.NoContent, other.StatusCode);
        VerificationGate.ReleaseHeld(held);

        // The one that checked a password that was no longer current changes nothing: its session was revoked.
        await (await first).Problem(HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _client.Login("twice", NewPassword)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _client.Login("twice", "yet another long passphrase")).StatusCode);
    }

    public void Dispose()
    {
        _gated.Dispose();
        _app.Dispose();
    }
}
