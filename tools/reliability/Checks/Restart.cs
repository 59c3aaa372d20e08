using Reliability.Infra;

namespace Reliability.Checks;

/// <summary>
/// SIGTERM and a new start on the same directory: live sessions still work (as the same account), sessions logged
/// out (or replaced by a new login) before the restart stay dead, and every user is there. Twice, on new ports.
/// </summary>
public static class Restart
{
    private sealed record Account(string User, string Password, string? Id);

    public static async Task Run(Check c)
    {
        var dir = c.NewDirectory("data");
        var accounts = new List<Account>();
        var live = new List<(Account Account, string Cookie)>();
        var dead = new List<(string Why, string Cookie)>();

        using (var first = Server.Start(c.Settings, dir, "restart first"))
        {
            if (await first.WaitReady(TimeSpan.FromSeconds(30)) is null)
            {
                c.That(false, $"the first start was never ready\n{first.Tail()}");
                return;
            }
            using var http = first.Client(timeout: TimeSpan.FromSeconds(10));
            for (var i = 0; i < 12; i++)
            {
                var user = $"restart{i}";
                var r = await http.Register(user, $"{user}@restart.example", $"restart password {i}");
                if (!c.That(r.Status == 201, () => $"set-up registration: {r}")) return;
                accounts.Add(new Account(user, $"restart password {i}", r.Field("id")));
            }
            for (var i = 0; i < 12; i++)
            {
                var a = accounts[i];
                var login = await http.Login(a.User, a.Password);
                if (!c.That(login.SessionCookie is not null, () => $"set-up login: {login}")) return;
                switch (i % 3)
                {
                    case 0:
                        live.Add((a, login.SessionCookie!));
                        break;
                    case 1:
                        var o = await http.Logout(login.SessionCookie);
                        c.That(o.Status == 204, () => $"set-up logout: {o}");
                        dead.Add(($"logged out ({a.User})", login.SessionCookie!));
                        break;
                    default:
                        // Logging in again with the cookie revokes it; the new session is the live one.
                        var again = await http.Login(a.User, a.Password, login.SessionCookie);
                        dead.Add(($"replaced by a new login ({a.User})", login.SessionCookie!));
                        if (again.SessionCookie is not null) live.Add((a, again.SessionCookie));
                        break;
                }
            }
            // Make sure the sessions are really used before the restart.
            foreach (var (a, cookie) in live)
            {
                var p = await http.Protected(cookie);
                c.That(p.Status == 200, () => $"before the restart, {a.User}'s session: {p}");
            }
            var code = await first.Terminate(TimeSpan.FromSeconds(20));
            c.That(code == 0, () => $"SIGTERM: exit code {code?.ToString() ?? "none (had to be killed)"}\n{first.Tail(10)}");
        }

        for (var round = 1; round <= 2; round++)
        {
            using var next = Server.Start(c.Settings, dir, $"restart {round}");
            if (!c.That(await next.WaitReady(TimeSpan.FromSeconds(30)) is not null, () => $"restart {round} was never ready\n{next.Tail()}")) return;
            using var http = next.Client(timeout: TimeSpan.FromSeconds(10));

            foreach (var (a, cookie) in live)
            {
                var p = await http.Protected(cookie);
                c.That(p.Status == 200 && p.Field("username") == a.User, () => $"restart {round}: {a.User}'s live session: {p}");
                var me = await http.Me(cookie);
                c.That(me.Status == 200 && me.Field("id") == a.Id, () => $"restart {round}: {a.User}'s /me (want id {a.Id}): {me}");
            }
            foreach (var (why, cookie) in dead)
            {
                var p = await http.Protected(cookie);
                c.That(p.Status == 401 && p.IsProblem, () => $"restart {round}: a session {why} before the restart: {p}");
            }
            foreach (var a in accounts)
            {
                // Logging in must not disturb the live sessions checked in the next round: no cookie is sent.
                var l = await http.Login(a.User, a.Password);
                c.That(l.Status == 200, () => $"restart {round}: {a.User} cannot log in: {l}");
            }
            var code = await next.Terminate(TimeSpan.FromSeconds(20));
            c.That(code == 0, () => $"restart {round}: SIGTERM exit code {code?.ToString() ?? "none (had to be killed)"}\n{next.Tail(10)}");
        }
    }
}
