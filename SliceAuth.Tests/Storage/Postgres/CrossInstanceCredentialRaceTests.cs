using System.Net;
using SliceAuth.Tests.Infrastructure;

namespace SliceAuth.Tests.Storage.Postgres;

/// <summary>
/// A session exists only for the credentials that were checked, across instances: a login held at bcrypt on
/// B while A changes the password or deletes the account gets 401 and leaves no session anywhere.
/// </summary>
[Trait("Storage", "Postgres")]
public sealed class CrossInstanceCredentialRaceTests : PostgresCluster
{
    private readonly VerificationGate _gate = new();

    private async Task<(HttpClient A, HttpClient B, string Cookie, Task<HttpResponseMessage> HeldLogin, TaskCompletionSource? Held)> LoginHeldOnB()
    {
        var a = Instance().Client();
        var b = Instance(services: s => s.UseGate(_gate)).Client();
        var cookie = await a.RegisterAndLogin("raced");
        _gate.Close();
        var login = Task.Run(() => b.Login("raced"));
        Assert.True(await _gate.WaitHeld(1), "the login on B never reached bcrypt");
        return (a, b, cookie, login, _gate.Open());
    }

    [Fact]
    public async Task A_login_on_B_held_while_A_changes_the_password_gets_401_and_leaves_no_session()
    {
        var (a, b, cookie, login, held) = await LoginHeldOnB();

        var changed = await a.Send(HttpMethod.Post, "/me/password", cookie, new { currentPassword = Api.Password, newPassword = "a new and longer passphrase" });
        Assert.Equal(HttpStatusCode.NoContent, changed.StatusCode);
        VerificationGate.ReleaseHeld(held);

        await (await login).Problem(HttpStatusCode.Unauthorized);
        Assert.Equal([true], (await b.Sessions(changed.SessionCookie())).Select(s => s.Current));
    }

    [Fact]
    public async Task A_login_on_B_held_while_A_deletes_the_account_gets_401_and_leaves_no_session()
    {
        var (a, _, cookie, login, held) = await LoginHeldOnB();

        Assert.Equal(HttpStatusCode.NoContent, (await a.Send(HttpMethod.Delete, "/me", cookie, new { password = Api.Password })).StatusCode);
        VerificationGate.ReleaseHeld(held);

        await (await login).Problem(HttpStatusCode.Unauthorized);
        Assert.Equal(0L, await Scalar("SELECT count(*) FROM sessions"));
    }
}
