using System.Net;
using SliceAuth.Tests.Infrastructure;

namespace SliceAuth.Tests.Sessions;

/// <summary>
/// A session exists only for the credentials that were checked: a login whose password check was still in
/// flight when the password changed or the account was deleted gets 401 and leaves no session behind, and a
/// deleted account's sessions never answer for a new account with the same name.
/// </summary>
public sealed class CredentialRaceTests : GatedAppTests
{
    private const string NewPassword = "a new and longer passphrase";

    /// <summary>Starts <paramref name="count"/> logins with the right password and holds them at bcrypt.</summary>
    private async Task<(Task<HttpResponseMessage>[] Logins, TaskCompletionSource? Held)> HoldLogins(string username, int count)
    {
        Gate.Close();
        var logins = Enumerable.Range(0, count).Select(_ => Task.Run(() => Client.Login(username))).ToArray();
        Assert.True(await Gate.WaitHeld(count), $"only {Gate.Held} of {count} logins reached bcrypt");
        return (logins, Gate.Open()); // held ones stay held; the change or deletion passes
    }

    /// <summary>A login that lost the race: 401, and no cookie that works (should one have been set).</summary>
    private async Task AssertLeftNoSession(HttpResponseMessage login, HttpClient? client = null)
    {
        await login.Problem(HttpStatusCode.Unauthorized);
        if (login.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith("sliceauth=") && !c.StartsWith("sliceauth=;")))
            await (await (client ?? Client).Get("/protected", login.SessionCookie())).Problem(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_login_in_flight_while_the_password_changes_gets_401_and_leaves_no_session()
    {
        var cookie = await Client.RegisterAndLogin("changer");
        var (logins, held) = await HoldLogins("changer", 3);

        var changed = await Client.Send(HttpMethod.Post, "/me/password", cookie, new { currentPassword = Api.Password, newPassword = NewPassword });
        Assert.Equal(HttpStatusCode.NoContent, changed.StatusCode);
        VerificationGate.ReleaseHeld(held);

        foreach (var login in await Task.WhenAll(logins)) await AssertLeftNoSession(login);
        var sessions = await Client.Sessions(changed.SessionCookie());
        Assert.Equal([true], sessions.Select(s => s.Current));
    }

    [Fact]
    public async Task Logins_in_flight_while_the_account_is_deleted_leave_no_session_even_once_the_name_is_registered_again()
    {
        var cookie = await Client.RegisterAndLogin("doomed");
        var (logins, held) = await HoldLogins("doomed", 3);

        var deleted = await Client.Send(HttpMethod.Delete, "/me", cookie, new { password = Api.Password });
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        var newOwner = await Client.RegisterAndLogin("doomed", NewPassword);
        VerificationGate.ReleaseHeld(held);

        foreach (var login in await Task.WhenAll(logins)) await AssertLeftNoSession(login);
        var sessions = await Client.Sessions(newOwner);
        Assert.Equal([true], sessions.Select(s => s.Current));
        Assert.Equal(HttpStatusCode.OK, (await Client.Get("/protected", newOwner)).StatusCode);
    }

    [Fact]
    public async Task Two_password_changes_in_flight_at_once_apply_only_one_password()
    {
        var cookie = await Client.RegisterAndLogin("twice");
        var second = (await Client.Login("twice")).SessionCookie();

        // Both check the same current password; each then sets a different new one.
        Gate.Close();
        var first = Task.Run(() => Client.Send(HttpMethod.Post, "/me/password", cookie, new { currentPassword = Api.Password, newPassword = NewPassword }));
        Assert.True(await Gate.WaitHeld(1));
        var held = Gate.Open();
        var other = await Client.Send(HttpMethod.Post, "/me/password", second, new { currentPassword = Api.Password, newPassword = "yet another long passphrase" });
        Assert.Equal(HttpStatusCode.NoContent, other.StatusCode);
        VerificationGate.ReleaseHeld(held);

        // The one that checked a password that was no longer current changes nothing: its session was revoked.
        await (await first).Problem(HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Client.Login("twice", NewPassword)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Client.Login("twice", "yet another long passphrase")).StatusCode);
    }

    [Fact]
    public async Task A_login_upgrading_an_old_hash_while_the_password_changes_does_not_bring_the_old_password_back()
    {
        // An account hashed at a lower work factor than the server now runs: a login re-hashes its password.
        var dir = TempDirectory.Create();
        try
        {
            using (var older = new SliceAuthApp(dir))
                (await older.Client().Register("upgraded")).EnsureSuccessStatusCode();
            var gate = new VerificationGate();
            using var app = new SliceAuthApp(dir, new Dictionary<string, string?> { ["Auth:BcryptWorkFactor"] = "5" },
                services: services => services.UseGate(gate));
            var client = app.Client();
            var cookie = (await client.Login("upgraded")).SessionCookie();

            gate.Close();
            var login = Task.Run(() => client.Login("upgraded"));
            Assert.True(await gate.WaitHeld(1));
            var held = gate.Open();
            var changed = await client.Send(HttpMethod.Post, "/me/password", cookie, new { currentPassword = Api.Password, newPassword = NewPassword });
            Assert.Equal(HttpStatusCode.NoContent, changed.StatusCode);
            VerificationGate.ReleaseHeld(held);

            await AssertLeftNoSession(await login, client);
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.Login("upgraded")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await client.Login("upgraded", NewPassword)).StatusCode);
        }
        finally
        {
            TempDirectory.Delete(dir);
        }
    }
}
