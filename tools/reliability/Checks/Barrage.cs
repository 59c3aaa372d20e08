using System.Collections.Concurrent;
using System.Text;
using Reliability.Infra;

namespace Reliability.Checks;

/// <summary>
/// Several thousand malformed and odd requests across every route, generated from the seed (the same seed and size
/// give the same requests). No answer may be 5xx, every request must be answered, app-level errors must be
/// problem+json, the server must stay up, and a user registered before must still log in and see the same /me
/// (same address, still unverified). The mailed-link routes get bodies of their own shapes too (tokens, addresses,
/// new passwords), aimed at the anchor's and the victim's addresses; neither address may change or become verified.
/// The second-factor and passkey routes get theirs (codes, recovery codes, attestation- and assertion-like JSON, see
/// Barrage.SecondFactor.cs and Barrage.Passkeys.cs), with real pending-login cookies of a guarded account that has
/// TOTP on; afterwards nobody has a passkey, the victim has no second factor, and the guarded account still has its
/// factor and all its recovery codes.
/// </summary>
public static partial class Barrage
{
    // The anchor is registered before the barrage and checked after it. The barrage never sends its cookie or its
    // password (DELETE /me with both would delete it, wrong passwords would throttle it), only registrations that
    // try to take its name. The victim's cookie and password are fair game.
    private const string Anchor = "anchor.user";
    private const string AnchorPassword = "a long secret phrase 4711";
    private const string Victim = "victim.user";
    private const string VictimPassword = "another long secret 0815";
    private const string AnchorEmail = "anchor@barrage.example";
    private const string VictimEmail = "victim@barrage.example";
    // What a password change in the barrage may have set (the victim-login body's newPassword).
    private const string VictimNewPassword = "a new password for the victim";

    // Kestrel refuses a header section over 32 KiB (431) and SliceAuth drains a refused body only up to 2 MiB;
    // past either, the server answers and closes while the client is still sending, and HttpClient reports the
    // broken send rather than the answer. Such a request owes no answer; it must still cause no harm.
    private const int HeaderLimitBytes = 32 * 1024;
    private const int DrainLimitBytes = 2 * 1024 * 1024;

    /// <summary>Group: the routes whose statuses are printed apart ("mailed-link", "second-factor", "passkey"), or null.</summary>
    private sealed record Plan(int Index, string Describe, Func<HttpRequestMessage>? Build, byte[]? Raw, bool RawCloses = false, bool Oversized = false, string? Group = null);

    public static async Task Run(Check c)
    {
        var dir = c.NewDirectory("data");
        using var server = Server.Start(c.Settings, dir, "barrage");
        if (await server.WaitReady(TimeSpan.FromSeconds(30)) is null)
        {
            c.That(false, $"the server was never ready\n{server.Tail()}");
            return;
        }
        using var http = server.Client(connections: 16, timeout: TimeSpan.FromSeconds(20));
        // A pooled keep-alive connection can be one Kestrel closed after its last answer without saying so
        // (it gave up draining an unread body); a request sent into it fails in transit. Such a request is
        // sent once more on a connection of its own: the server owes it an answer there.
        var retried = 0;

        var reg = await http.Register(Anchor, AnchorEmail, AnchorPassword);
        var login = await http.Login(Anchor, AnchorPassword);
        var meBefore = await http.Me(login.SessionCookie);
        if (!c.That(reg.Status == 201 && meBefore.Status == 200 && meBefore.Field("emailVerified") == "False",
                () => $"set-up failed: {reg} / {login} / {meBefore}")) return;
        var victimReg = await http.Register(Victim, VictimEmail, VictimPassword);
        var victimLogin = await http.Login(Victim, VictimPassword);
        if (!c.That(victimReg.Status == 201 && victimLogin.SessionCookie is not null, () => $"set-up failed: {victimReg} / {victimLogin}")) return;
        var cookie = victimLogin.SessionCookie!;
        if (await Guarded.SetUp(c, http) is not { } guarded) return;
        if (await LiveChallenges.Fetch(c, http, guarded.Session) is not { } challenges) return;

        var rng = new Random(c.Settings.Seed ^ 0x42415252);
        var cookies = new BarrageCookies(cookie, guarded.Session, guarded.PendingCookies);
        var plans = Enumerable.Range(0, c.Settings.Barrage).Select(i => Generate(i, rng, cookies, challenges, server.BaseAddress)).ToList();

        var statuses = new ConcurrentDictionary<int, int>();
        var groupStatuses = new ConcurrentDictionary<(string Group, int Status), int>();
        var bad = new ConcurrentQueue<(Plan Plan, Reply Reply, string Why)>();
        var raw = 0;
        await Parallel.ForEachAsync(plans, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (plan, _) =>
        {
            Reply r;
            if (plan.Raw is not null)
            {
                Interlocked.Increment(ref raw);
                r = await Http.Raw(server.BaseAddress, plan.Raw, plan.Describe, TimeSpan.FromSeconds(plan.RawCloses ? 2 : 10), plan.RawCloses);
            }
            else
            {
                r = await http.Call(plan.Build!(), plan.Describe);
                if (r.NoAnswer && !plan.Oversized)
                {
                    Interlocked.Increment(ref retried);
                    using var alone = server.Client(connections: 1, timeout: TimeSpan.FromSeconds(20));
                    r = await alone.Call(plan.Build!(), plan.Describe + " (sent again on a new connection)");
                }
            }
            statuses.AddOrUpdate(r.Status, 1, (_, n) => n + 1);
            if (plan.Group is { } group) groupStatuses.AddOrUpdate((group, r.Status), 1, (_, n) => n + 1);

            if (r.NoAnswer && (plan.RawCloses || plan.Oversized)) return; // cut short, or over a documented limit: no answer is owed
            if (r.NoAnswer) bad.Enqueue((plan, r, "no answer"));
            else if (r.Status >= 500) bad.Enqueue((plan, r, "5xx"));
            // Kestrel's own rejections (400/413/414/431 before the app runs) carry no body; the app's errors must be problems.
            else if (r.Status >= 400 && r.Body.Length > 0 && plan.Raw is null && !r.IsProblem) bad.Enqueue((plan, r, "error that is not problem+json"));
        });

        c.Info($"{retried} requests failed in transit on a pooled connection and were sent again on a new one");
        c.Info($"{plans.Count} requests ({raw} raw), statuses: " +
               string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{(s.Key == 0 ? "none" : s.Key)}×{s.Value}")));
        foreach (var group in new[] { "mailed-link", "second-factor", "passkey" })
        {
            var these = groupStatuses.Where(s => s.Key.Group == group).OrderBy(s => s.Key.Status).ToList();
            c.Info($"of them {these.Sum(s => s.Value)} to the {group} routes, statuses: " +
                   string.Join(", ", these.Select(s => $"{(s.Key.Status == 0 ? "none" : s.Key.Status)}×{s.Value}")));
        }
        foreach (var why in new[] { "5xx", "no answer", "error that is not problem+json" })
        {
            var these = bad.Where(b => b.Why == why).OrderBy(b => b.Plan.Index).ToList();
            c.That(these.Count == 0, () => $"{these.Count} requests got {why}, e.g.\n      " +
                string.Join("\n      ", these.Take(6).Select(b => $"#{b.Plan.Index} {b.Reply}")) +
                $"\n      (reproduce: --seed {c.Settings.Seed} --barrage {c.Settings.Barrage})" +
                (why == "5xx" ? "\n      the server logged:\n" + Exceptions(server) : ""));
        }
        // How far the made-up factors got: the audit's reasons say whether an answer reached the WebAuthn library
        // ("not valid", "could not be read", origin, ...) or stopped at the challenge look-up.
        foreach (var evt in new[] { "passkey.registration_refused", "passkey.login_failed", "2fa.failed" })
        {
            var reasons = server.Output.Where(l => l.Contains($" {evt}: ")).Select(l => evt.StartsWith("passkey") ? l[(l.LastIndexOf(": ") + 2)..] : "wrong code")
                .GroupBy(r => r).OrderByDescending(g => g.Count()).Select(g => $"{g.Count()}× {g.Key}").ToList();
            c.Info($"audit {evt}: {(reasons.Count == 0 ? "none" : string.Join("; ", reasons))}");
        }
        var failLines = server.Output.Count(l => l.Contains(" fail: ") || l.Contains(" crit: "));
        c.Info($"server log: {failLines} fail/crit lines");

        c.That(!server.HasExited, () => $"the server exited during the barrage (code {server.ExitCode})\n{server.Tail()}");
        var live = await http.Call(Http.Get("/health/live"));
        var ready = await http.Ready();
        c.That(live.Status == 200 && ready.Status == 200, () => $"after the barrage: {live} / {ready}");

        var again = await http.Login(Anchor, AnchorPassword);
        c.That(again.Status == 200, () => $"after the barrage the anchor user cannot log in: {again}");
        var meAfter = await http.Me(again.SessionCookie);
        c.That(meAfter.Status == 200 && meAfter.Field("id") == meBefore.Field("id") && meAfter.Field("email") == meBefore.Field("email")
               && meAfter.Field("emailVerified") == "False",
            () => $"after the barrage /me differs: before {meBefore}, after {meAfter}");
        c.That(meAfter.Field("twoFactorEnabled") == "False", () => $"after the barrage the anchor has a second factor: {meAfter}");
        await NoPasskeys(c, http, "the anchor", again.SessionCookie);
        await VictimUnchanged(c, http);
        await guarded.Unchanged(c, http);
        await server.Terminate(TimeSpan.FromSeconds(15));
    }

    private static readonly string[] Paths =
    [
        "/register", "/login", "/logout", "/protected", "/me", "/register", "/login", "/logout", "/protected", "/me",
        "/", "/admin", "/register/", "/REGISTER", "/Login", "/me/", "/me/123", "/register%00", "/..%2f..%2fetc/passwd",
        "//login", "/login;jsessionid=1", "/protected?x=%00%ff", "/me?id=../../", "/health/ready", "/health/live",
        "/openapi/v1.json", "/swagger", "/register?" + new string('q', 3000), "/%E0%A4%A", "/login%2F", "/logout/extra",
        "/users/1", "/.env", "/favicon.ico",
        "/me/sessions", "/me/sessions", "/me/password", "/me/password", "/me/sessions/abc", "/me/sessions/" + new string('x', 500),
        "/me/sessions/%00", "/me/sessions/../password",
        // The mailed-link routes (issue 12), weighted like the others, and odd spellings of them.
        "/email/verify", "/email/verify", "/me/email/verification", "/me/email/verification", "/password/forgot", "/password/forgot",
        "/password/reset", "/password/reset", "/me/email", "/me/email", "/email/verify/", "/EMAIL/Verify", "/password/forgot?email=x%40y.z",
        "/password/reset?token=" + new string('t', 2000), "/me/email/verification/extra", "/me/email/%00", "/password/%2e%2e/forgot",
        "/email/verify;token=1", "/account/reset-password", "/account/verify-email",
        // The second-factor routes (issue 13), twice each, and odd spellings.
        "/me/2fa/totp", "/me/2fa/totp", "/me/2fa/totp/confirm", "/me/2fa/totp/confirm", "/me/2fa/recovery-codes",
        "/me/2fa/recovery-codes", "/me/2fa", "/me/2fa", "/login/2fa", "/login/2fa", "/login/2fa/", "/LOGIN/2FA", "/me/2fa/totp/",
        "/me/2fa/totp/confirm/extra", "/me/2fa/%00", "/login/2fa?code=123456", "/me/2fa/recovery-codes/" + new string('r', 300),
        "/login/2fa;code=1", "/me/2fa/../password", "/login/2fa", "/login/2fa", "/me/2fa/recovery-codes", "/me/2fa",
        // The passkey routes (issue 14), twice each, and odd spellings and ids.
        "/me/passkeys/options", "/me/passkeys/options", "/me/passkeys", "/me/passkeys", "/login/passkey/options",
        "/login/passkey/options", "/login/passkey", "/login/passkey", "/me/passkeys/00000000-0000-0000-0000-000000000000",
        "/me/passkeys/" + Guid.NewGuid(), "/me/passkeys/AAAAAAAAAAAAAAAAAAAAAA", "/me/passkeys/" + new string('k', 2000),
        "/me/passkeys/%00", "/me/passkeys/-1", "/me/passkeys/..%2f..%2fsessions", "/me/passkeys/options/extra",
        "/LOGIN/Passkey", "/login/passkey/", "/login/passkey?id=x", "/me/passkeys/%E2%80%AE",
        // The two that verify WebAuthn answers, more often: only a few of their requests get past the challenge look-up.
        "/me/passkeys", "/me/passkeys", "/me/passkeys", "/me/passkeys", "/login/passkey", "/login/passkey",
    ];

    private static readonly string[] MailedLinkRoutes = ["/email/verify", "/me/email", "/password/forgot", "/password/reset"];

    private static readonly (string Path, string Method)[] DirectRoutes =
    [
        ("/me/passkeys", "POST"), ("/me/passkeys", "POST"), ("/login/passkey", "POST"), ("/login/2fa", "POST"),
        ("/me/2fa/recovery-codes", "POST"), ("/me/2fa", "DELETE"), ("/me/2fa/totp/confirm", "POST"),
    ];

    /// <summary>The group a path belongs to and the method its route answers (per path prefix, longest first).</summary>
    private static (string? Group, string? Method) RouteOf(string path)
    {
        var lower = path.ToLowerInvariant();
        if (MailedLinkRoutes.Any(path.StartsWith)) return ("mailed-link", "POST");
        if (lower == "/me/2fa") return ("second-factor", "DELETE");
        if (lower.StartsWith("/me/2fa") || lower.StartsWith("/login/2fa")) return ("second-factor", "POST");
        if (lower.StartsWith("/me/passkeys/options") || lower.StartsWith("/login/passkey")) return ("passkey", "POST");
        if (lower == "/me/passkeys") return ("passkey", "POST");
        if (lower.StartsWith("/me/passkeys/")) return ("passkey", "DELETE");
        return (null, null);
    }

    private static readonly string[] Methods = ["POST", "POST", "POST", "GET", "GET", "PUT", "DELETE", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE", "FOO", "PROPFIND"];

    private static readonly string?[] ContentTypes =
    [
        "application/json", "application/json", "application/json", "application/json; charset=utf-8", "application/json; charset=utf-16",
        "application/json; charset=bogus", "APPLICATION/JSON", "application/problem+json", "application/vnd.api+json", "text/plain",
        "text/json", "application/x-www-form-urlencoded", "multipart/form-data; boundary=xyz", "application/xml", "*/*", "application/",
        ";;;", "application/json; boundary", null, "",
    ];

    private static Plan Generate(int index, Random rng, BarrageCookies cookies, LiveChallenges challenges, Uri baseAddress)
    {
        // 4 % raw requests HttpClient would refuse to send.
        if (rng.Next(100) < 4) return RawPlan(index, rng);

        var path = Paths[rng.Next(Paths.Length)];
        var method = Methods[rng.Next(Methods.Length)];
        // 4 % aimed straight at the routes that check factors, with their method, a body of their own shape, JSON and
        // the cookie that opens them, so that they get past routing and the session into the checks behind.
        var direct = rng.Next(100) < 4;
        if (direct) (path, method) = DirectRoutes[rng.Next(DirectRoutes.Length)];
        // Half the requests to the mailed-link, second-factor and passkey routes use the route's method and get past
        // routing, so the bodies reach the validators and handlers; two thirds of those to the last two get a body of
        // their route's shape (the mailed-link bodies are in the general mix).
        var (group, routeMethod) = RouteOf(path);
        var ownShape = false;
        if (direct) ownShape = true;
        else if (routeMethod is not null && rng.Next(2) == 0)
        {
            method = routeMethod;
            // GET /me/passkeys lists, POST adds: both are worth a share.
            if (path.Equals("/me/passkeys", StringComparison.OrdinalIgnoreCase) && rng.Next(3) == 0) method = "GET";
            ownShape = group is "second-factor" or "passkey" && rng.Next(3) != 0;
        }
        var (bodyKind, body) = !ownShape ? Body(rng, challenges) : group == "second-factor" ? SecondFactorBody(rng) : PasskeyBody(rng, challenges);
        var contentType = direct || ownShape && rng.Next(4) != 0 ? "application/json" : ContentTypes[rng.Next(ContentTypes.Length)];
        var (cookieKind, cookieValue) = Cookie(rng, cookies);
        // Half of those with a body of their own shape get the cookie that opens the route, so the bodies reach the
        // checks behind it: for /me/... the guarded account's session (which nothing else gets: the victim's dies early,
        // sent to a login or a logout), for /login/2fa one of its pending logins (/login/passkey needs none).
        if (direct || ownShape && rng.Next(2) == 0)
        {
            var mine = path.StartsWith("/me/", StringComparison.OrdinalIgnoreCase);
            (cookieKind, cookieValue) = mine ? ("guarded", cookies.Guarded) : ("pending", cookies.Pending[rng.Next(cookies.Pending.Count)]);
        }
        var (headerKind, headers) = Headers(rng);
        var describe = $"{method} {Reply.Clip(path, 60)} body={bodyKind} type={contentType ?? "none"} cookie={cookieKind} headers={headerKind}";
        var headerBytes = path.Length + (cookieValue?.Length ?? 0) + headers.Sum(h => h.Item1.Length + h.Item2.Length + 4);
        var oversized = headerBytes > HeaderLimitBytes - 1024 || body?.Length > DrainLimitBytes;

        return new Plan(index, describe, () =>
        {
            // Absolute, so "//login" stays a path rather than a host.
            var r = new HttpRequestMessage(new HttpMethod(method), new Uri($"http://{baseAddress.Authority}{path}"));
            // GET/HEAD with bodies are legal but odd; keep them for a quarter of the cases.
            if (body is not null && (method is not ("GET" or "HEAD" or "TRACE" or "CONNECT") || index % 4 == 0))
            {
                var content = new ByteArrayContent(body);
                if (contentType is not null) content.Headers.TryAddWithoutValidation("Content-Type", contentType);
                r.Content = content;
            }
            if (cookieValue is not null) r.Headers.TryAddWithoutValidation("Cookie", cookieValue);
            foreach (var (k, v) in headers)
                if (!r.Headers.TryAddWithoutValidation(k, v)) r.Content?.Headers.TryAddWithoutValidation(k, v);
            return r;
        }, null, Oversized: oversized, Group: group);
    }

    private static (string Kind, byte[]? Body) Body(Random rng, LiveChallenges challenges)
    {
        string U() => $"bz{rng.Next():x8}";
        string Valid() => $"{{\"username\":\"{U()}\",\"email\":\"{U()}@barrage.example\",\"password\":\"a perfectly fine password\"}}";
        byte[] S(string s) => Encoding.UTF8.GetBytes(s);
        switch (rng.Next(47))
        {
            case 0: return ("valid", S(Valid()));
            case 1: return ("victim-login", S($"{{\"username\":\"{Victim}\",\"password\":\"{(rng.Next(3) == 0 ? VictimPassword : "wrong password guess")}\",\"currentPassword\":\"{VictimPassword}\",\"newPassword\":\"{(rng.Next(2) == 0 ? "" : VictimNewPassword)}\"}}"));
            case 2: { var v = Valid(); return ("truncated", S(v[..rng.Next(v.Length)])); }
            case 3: { var d = rng.Next(65, 5000); return ($"nested-array-{d}", S(new string('[', d) + new string(']', rng.Next(2) == 0 ? d : 0))); }
            case 4: { var d = rng.Next(30, 3000); return ($"nested-object-{d}", S("{\"username\":" + string.Concat(Enumerable.Repeat("{\"a\":", d)) + "1" + new string('}', d + 1))); }
            case 5: { var n = rng.Next(2) == 0 ? 100_000 : 1_000_000; return ($"huge-username-{n}", S($"{{\"username\":\"{new string('x', n)}\",\"email\":\"h@barrage.example\",\"password\":\"a perfectly fine password\"}}")); }
            case 6: return ("huge-password", S($"{{\"username\":\"{U()}\",\"email\":\"{U()}@b.example\",\"password\":\"{new string('p', rng.Next(129, 200_000))}\"}}"));
            case 7: return ("huge-email", S($"{{\"username\":\"{U()}\",\"email\":\"{new string('e', rng.Next(250, 300_000))}@b.example\",\"password\":\"a perfectly fine password\"}}"));
            case 8:
            {
                var b = S(Valid()).ToList();
                b.InsertRange(14, new byte[] { 0xC3, 0x28, 0xFF, 0xFE, 0xED, 0xA0, 0x80 }); // invalid UTF-8 inside the username
                return ("invalid-utf8", b.ToArray());
            }
            case 9: return ("invalid-utf8-whole", Enumerable.Range(0, rng.Next(1, 400)).Select(_ => (byte)rng.Next(128, 256)).ToArray());
            case 10: return ("nul-escaped", S($"{{\"username\":\"nul\\u0000{U()}\",\"email\":\"{U()}\\u0000@b.example\",\"password\":\"pass\\u0000word with nul\"}}"));
            case 11:
            {
                var b = S(Valid());
                b[rng.Next(b.Length)] = 0;
                return ("nul-raw", b);
            }
            case 12:
            {
                string[] values = ["123", "true", "null", "[]", "{}", "1e400", "-0", "\"\"", "[\"a\"]", "9999999999999999999999"];
                return ("wrong-types", S($"{{\"username\":{values[rng.Next(values.Length)]},\"email\":{values[rng.Next(values.Length)]},\"password\":{values[rng.Next(values.Length)]}}}"));
            }
            case 25: return ("anchor-name-taken", S($"{{\"username\":\"{(rng.Next(2) == 0 ? Anchor : Anchor.ToUpperInvariant())}\",\"email\":\"{U()}@b.example\",\"password\":\"an attempt to take the name\"}}"));
            case 13: return ("duplicate-keys", S($"{{\"username\":\"{U()}\",\"username\":\"{Anchor}\",\"email\":\"{U()}@b.example\",\"email\":\"x\",\"password\":\"a perfectly fine password\",\"password\":1}}"));
            case 14:
            {
                string[] docs = ["", "null", "[]", "\"text\"", "0", "{}", "{", "}", "{\"username\":}", "{'username':'a'}", "{\"username\":\"a\",}", "\uFEFF{}", "{\"__proto__\":{}}", "/* c */ {}"];
                return ("odd-document", S(docs[rng.Next(docs.Length)]));
            }
            case 15:
            {
                string[] names = ["\\ud800", "\\udfff\\ud800", "é", "é", "ＡＢＣ", "‮evil", "𝓤𝓷𝓲", "\\u200b\\u200b\\u200b", "İı", "ǅ", "ß", "ﬃ", "a\\tb", "  spaced  ", "..", "-", "a/b"];
                return ("unicode", S($"{{\"username\":\"{names[rng.Next(names.Length)]}{rng.Next(100)}\",\"email\":\"{names[rng.Next(names.Length)]}@b.example\",\"password\":\"{names[rng.Next(names.Length)]} long enough pw\"}}"));
            }
            case 16: return ("extra-fields", S($"{{\"username\":\"{U()}\",\"email\":\"{U()}@b.example\",\"password\":\"a perfectly fine password\",\"id\":\"00000000-0000-0000-0000-000000000000\",\"isAdmin\":true,\"passwordHash\":\"x\"}}"));
            case 17: return ("form", S($"username={U()}&email=a%40b.c&password=aaaaaaaaaaaaaa"));
            case 18: return ("random-bytes", Enumerable.Range(0, rng.Next(0, 3000)).Select(_ => (byte)rng.Next(256)).ToArray());
            case 19: return ("many-keys", S("{" + string.Join(",", Enumerable.Range(0, rng.Next(1000, 20000)).Select(i => $"\"k{i}\":{i}")) + "}"));
            case 20: return ("long-number", S($"{{\"username\":{new string('9', rng.Next(100, 100_000))}}}"));
            case 21: return ("utf16", Encoding.Unicode.GetBytes(Valid()));
            case 22: return ("empty", []);
            case 23: return ("whitespace", S(new string(' ', rng.Next(1, 100_000)) + Valid()));
            case 24: return ("login-shape", S($"{{\"username\":\"{U()}\",\"password\":\"{U()}\"}}"));
            case >= 26 and <= 35: return MailedLinkBody(rng);
            case >= 36 and <= 40: return SecondFactorBody(rng);
            case >= 41 and <= 45: return PasskeyBody(rng, challenges);
            default: return ("none", null);
        }
    }

    /// <summary>
    /// Bodies shaped for the mailed-link routes ({token}, {token, newPassword}, {email}, {password, newEmail}), all fields
    /// at once so any of those routes finds its own: tokens that look real but are not, huge, NUL or control characters,
    /// wrong types, keys given twice; addresses that are the anchor's or the victim's, in another case, with a CR LF
    /// header injection, or no address at all.
    /// </summary>
    private static (string Kind, byte[] Body) MailedLinkBody(Random rng)
    {
        const string Base64Url = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        string Token(int n) => new(Enumerable.Range(0, n).Select(_ => Base64Url[rng.Next(64)]).ToArray());
        string[] addresses =
        [
            AnchorEmail, VictimEmail, AnchorEmail.ToUpperInvariant(), $"fresh{rng.Next():x8}@barrage.example",
            // JSON escapes: a CR LF header injection, a NUL, a bell.
            $"{VictimEmail}\\r\\nBcc: all@evil.example", $"{AnchorEmail}\\u0000", "\\u0007bell@barrage.example", "not-an-address",
            "Victim <victim@barrage.example>", $"{new string('m', 300)}@barrage.example", "a@b", "", " ",
        ];
        string Address() => addresses[rng.Next(addresses.Length)];
        string Password() => rng.Next(2) == 0 ? VictimPassword : "wrong password guess";
        byte[] S(string s) => Encoding.UTF8.GetBytes(s);
        string All(string token, string email, string newPassword, string password) =>
            $"{{\"token\":{token},\"email\":{email},\"newEmail\":{email},\"newPassword\":{newPassword},\"password\":{password}}}";
        string Q(string s) => $"\"{s}\"";
        switch (rng.Next(10))
        {
            case 0: return ("mail-token-lookalike", S(All(Q(Token(43)), Q(Address()), Q("a perfectly fine new password"), Q(Password()))));
            case 1: return ("mail-token-huge", S(All(Q(Token(rng.Next(129, 300_000))), Q(Address()), Q("a perfectly fine new password"), Q(Password()))));
            case 2:
            {
                string[] odd = ["\\u0000", "\\u0000\\u0000\\u0000", "\\r\\n", "\\u001b[31m", "\\ud800", "%00", "../../", "\\u202e", " ", "=="];
                var t = Token(20) + odd[rng.Next(odd.Length)] + Token(20);
                return ("mail-token-control", S(All(Q(t), Q(Address()), Q("pass\\u0000word with nul"), Q(Password()))));
            }
            case 3:
            {
                string[] values = ["123", "true", "null", "[]", "{}", "1e400", "-0", "\"\"", "[\"a\"]", "9999999999999999999999", "{\"token\":\"x\"}"];
                string V() => values[rng.Next(values.Length)];
                return ("mail-wrong-types", S($"{{\"token\":{V()},\"email\":{V()},\"newEmail\":{V()},\"newPassword\":{V()},\"password\":{V()}}}"));
            }
            case 4: return ("mail-duplicate-keys", S($"{{\"token\":\"{Token(43)}\",\"token\":1,\"email\":\"{Address()}\",\"email\":\"{AnchorEmail}\",\"newEmail\":\"x\",\"newEmail\":\"{AnchorEmail}\",\"password\":\"{VictimPassword}\",\"password\":null}}"));
            case 5: return ("mail-address", S($"{{\"email\":\"{Address()}\"}}"));
            case 6: return ("mail-change-email", S($"{{\"password\":\"{Password()}\",\"newEmail\":\"{Address()}\"}}"));
            case 7: return ("mail-reset", S($"{{\"token\":\"{Token(rng.Next(1, 130))}\",\"newPassword\":\"{(rng.Next(2) == 0 ? "short" : new string('p', rng.Next(12, 300)))}\"}}"));
            case 8: return ("mail-huge-address", S($"{{\"email\":\"{new string('e', rng.Next(250, 300_000))}@b.example\",\"password\":\"{Password()}\",\"newEmail\":\"{new string('n', rng.Next(250, 300_000))}@b.example\"}}"));
            default: return ("mail-verify", S($"{{\"token\":\"{Token(43)}\"}}"));
        }
    }

    /// <summary>
    /// The cookies the barrage may send: the victim's session (anywhere), the guarded account's session (only with bodies of
    /// the second-factor and passkey routes' own shapes, only to /me/...) and its pending logins (sliceauth.2fa=…).
    /// </summary>
    private sealed record BarrageCookies(string Victim, string Guarded, IReadOnlyList<string> Pending);

    private static (string Kind, string? Value) Cookie(Random rng, BarrageCookies cookies)
    {
        var victimCookie = cookies.Victim;
        var value = victimCookie["sliceauth=".Length..];
        string Pending() => cookies.Pending[rng.Next(cookies.Pending.Count)];
        string PendingValue() { var p = Pending(); return p[(p.IndexOf('=') + 1)..]; }
        switch (rng.Next(20))
        {
            case 14: return ("pending", Pending());
            case 15: return ("pending+victim", $"{Pending()}; {victimCookie}");
            case 16:
            {
                string[] forged = ["", "x", new string('A', 43), Flip(PendingValue(), rng), PendingValue() + PendingValue(), RandomAscii(rng, rng.Next(1, 400)), "chunks-2"];
                return ("pending-forged", "sliceauth.2fa=" + forged[rng.Next(forged.Length)]);
            }
            case 17: return ("pending-as-session", "sliceauth=" + PendingValue());
            case 0: return ("victim", victimCookie);
            case 1: return ("victim-flipped", "sliceauth=" + Flip(value, rng));
            case 2: return ("victim-truncated", "sliceauth=" + value[..rng.Next(value.Length)]);
            case 3: return ("garbage", "sliceauth=" + RandomAscii(rng, rng.Next(1, 300)));
            case 4: return ("oversized-4k", "sliceauth=" + RandomAscii(rng, 4000));
            case 5: return ("oversized-40k", "sliceauth=" + new string('A', 40_000));
            case 6: return ("oversized-many", string.Join("; ", Enumerable.Range(0, 300).Select(i => $"c{i}={RandomAscii(rng, 20)}")));
            case 7: return ("chunks", $"sliceauth=chunks-{rng.Next(-2, 1_000_000)}; sliceauthC1={value[..10]}; sliceauthC2={value[10..]}");
            case 8: return ("chunks-bad", $"sliceauth=chunks-{(rng.Next(2) == 0 ? "abc" : "99999999999999999999")}");
            case 9: return ("duplicate", $"{victimCookie}; sliceauth=garbage; {victimCookie}");
            case 10: return ("empty", "sliceauth=");
            case 11: return ("no-equals", "sliceauth");
            case 12: return ("non-ascii", "sliceauth=" + "\u00ff\u00fe\u00e9\u0080" + value);
            case 13: return ("separators", "sliceauth=\"" + value + "\";;;=;");
            default: return ("none", null);
        }
    }

    private static (string Kind, List<(string, string)> Headers) Headers(Random rng)
    {
        switch (rng.Next(14))
        {
            case 0: return ("accept-xml", [("Accept", "application/xml")]);
            case 1: return ("accept-garbage", [("Accept", "}{;q=abc, */*;q=-1")]);
            case 2: return ("long-user-agent", [("User-Agent", new string('u', rng.Next(600, 7000)))]);
            case 3: return ("x-forwarded", [("X-Forwarded-For", "999.1.1.1, ::ffff:zz, " + RandomAscii(rng, 50)), ("X-Forwarded-Proto", "https")]);
            case 4: return ("content-encoding", [("Content-Encoding", "gzip")]);
            case 5: return ("expect", [("Expect", "100-continue")]);
            case 6: return ("range", [("Range", "bytes=0-1,-5,999999999999-")]);
            case 7: return ("latin1-values", [("X-Odd", "\u00e9\u00ff\u0080 value"), ("User-Agent", "\u00ff\u00fe")]);
            case 8: return ("accept-charset", [("Accept-Charset", "utf-7"), ("Accept-Language", "xx-YY;q=2")]);
            case 9: return ("many-headers", Enumerable.Range(0, 90).Select(i => ($"X-H{i}", RandomAscii(rng, 40))).ToList());
            case 10: return ("origin", [("Origin", "http://evil.example"), ("Referer", "javascript:alert(1)")]);
            default: return ("none", []);
        }
    }

    private static Plan RawPlan(int index, Random rng)
    {
        var user = $"raw{rng.Next():x8}";
        var json = $"{{\"username\":\"{user}\",\"email\":\"{user}@b.example\",\"password\":\"a perfectly fine password\",\"token\":\"{user}\"}}";
        // The framing faults are the same on every POST route; the mailed-link ones get their share.
        string[] posts = ["/register", "/register", "/password/forgot", "/password/reset", "/email/verify", "/me/email", "/login/2fa",
            "/me/2fa/totp/confirm", "/me/passkeys", "/login/passkey"];
        var post = posts[rng.Next(posts.Length)];
        byte[] L(string s) => Encoding.Latin1.GetBytes(s);
        switch (rng.Next(10))
        {
            case 9: return new Plan(index, "raw: CONNECT to an authority", null, L("CONNECT evil.example:443 HTTP/1.1\r\nHost: evil.example:443\r\n\r\n"));
            case 0: return new Plan(index, "raw: Content-Length larger than the body, then close", null,
                L($"POST {post} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {json.Length + 500}\r\n\r\n{json}"), RawCloses: true);
            case 1: return new Plan(index, "raw: NUL and CR in a header value", null,
                L("GET /protected HTTP/1.1\r\nHost: x\r\nCookie: sliceauth=a\0b\rc\r\n\r\n"));
            case 2: return new Plan(index, "raw: garbage request line", null,
                L(RandomAscii(rng, rng.Next(1, 200)) + "\r\n\r\n"));
            case 3: return new Plan(index, "raw: bad chunked body", null,
                L($"POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{json}\r\n0\r\n\r\n"));
            case 4: return new Plan(index, "raw: both Content-Length and chunked", null,
                L($"POST {post} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n{json.Length:x}\r\n{json}\r\n0\r\n\r\n"));
            case 5: return new Plan(index, "raw: invalid UTF-8 bytes in the path and a header", null,
                [.. L("GET /me\u00ff\u00fe HTTP/1.1\r\nHost: x\r\nX-Bin: "), 0xC3, 0x28, 0xFF, .. L("\r\n\r\n")]);
            case 6: return new Plan(index, "raw: HTTP/1.0 without Host", null,
                L($"POST {post} HTTP/1.0\r\nContent-Type: application/json\r\nContent-Length: {json.Length}\r\n\r\n{json}"));
            case 7: return new Plan(index, "raw: header without colon and an obsolete line fold", null,
                L("GET /protected HTTP/1.1\r\nHost: x\r\nNoColonHere\r\nX-A: b\r\n  folded\r\n\r\n"));
            default: return new Plan(index, "raw: chunked body cut short, then close", null,
                L($"POST {post} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n{json.Length:x}\r\n{json[..10]}"), RawCloses: true);
        }
    }

    /// <summary>
    /// The victim's cookie and password are in the barrage, so it may have changed its password (to VictimNewPassword)
    /// or deleted itself; whatever is left of it still has its address, unverified: no token was ever valid; and it has
    /// neither a second factor nor a passkey.
    /// </summary>
    private static async Task VictimUnchanged(Check c, HttpClient http)
    {
        foreach (var password in new[] { VictimPassword, VictimNewPassword })
        {
            var login = await http.Login(Victim, password);
            if (login.Status != 200) continue;
            var me = await http.Me(login.SessionCookie);
            c.Info($"the victim logs in with {(password == VictimPassword ? "its first" : "the barrage's new")} password");
            c.That(me.Status == 200 && me.Field("email") == VictimEmail && me.Field("emailVerified") == "False",
                () => $"after the barrage the victim's /me is {me} (expected {VictimEmail}, unverified)");
            // No code was ever right: an enrolment the barrage started stays unconfirmed, and no attestation was real.
            c.That(me.Field("twoFactorEnabled") == "False", () => $"after the barrage the victim has a second factor: {me}");
            await NoPasskeys(c, http, "the victim", login.SessionCookie);
            return;
        }
        // Deleted by a DELETE /me with its password: then its address must be free, not moved to another account.
        var again = await http.Register(Victim, VictimEmail, VictimPassword);
        c.Info($"the victim logs in with neither password (deleted by the barrage); registering it again: {again.Status}");
        c.That(again.Status == 201, () => $"the victim neither logs in nor can be registered again: {again}");
    }

    /// <summary>Each distinct exception the server logged as "fail", with its message (no stack), and how often.</summary>
    public static string Exceptions(Server server) => string.Join('\n', server.Output
        .Where(l => l.Contains(" fail: ") || l.Contains(" crit: "))
        .Select(l => System.Text.RegularExpressions.Regex.Match(l, @"(\w+(\.\w+)*Exception: .*?)(\s+at |$)").Groups[1].Value)
        .Where(m => m.Length > 0)
        .GroupBy(m => Reply.Clip(m, 300))
        .Select(g => $"      {g.Count()}× {g.Key}"));

    private static string Flip(string s, Random rng)
    {
        var chars = s.ToCharArray();
        var i = rng.Next(chars.Length);
        chars[i] = chars[i] == 'A' ? 'B' : 'A';
        return new string(chars);
    }

    private static string RandomAscii(Random rng, int length) =>
        new(Enumerable.Range(0, length).Select(_ => (char)rng.Next(33, 127)).Where(ch => ch is not (';' or ',')).ToArray());
}
