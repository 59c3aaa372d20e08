using System.Text;
using System.Text.Json;
using Reliability.Infra;

namespace Reliability.Checks;

public static partial class Barrage
{
    // An account with TOTP on, set up before the barrage. Its password goes into the barrage (logins that mint pending
    // logins, factor changes), and so do pending-login cookies it got before, so /login/2fa sees real pending logins with
    // wrong codes, and its session, but only with bodies of the new routes' shapes to /me/2fa... and /me/passkeys...:
    // none of those can succeed without a code, so the session must live through the barrage. Its recovery codes never
    // go in.
    private const string GuardedName = "guarded.user";
    private const string GuardedPassword = "a phrase kept safe by its code";
    private const string GuardedEmail = "guarded@barrage.example";

    /// <summary>
    /// Bodies shaped for the second-factor routes ({password}, {code}, {recoveryCode}, {password, code}): codes of every
    /// odd form (five or seven digits, non-ASCII digits, NUL, huge), recovery-code look-alikes, wrong types, keys twice,
    /// the victim's password right or wrong, and the guarded account's login.
    /// </summary>
    private static (string Kind, byte[] Body) SecondFactorBody(Random rng)
    {
        const string Base32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        string Digits(int n) => new(Enumerable.Range(0, n).Select(_ => (char)('0' + rng.Next(10))).ToArray());
        string Recovery() => string.Join('-', Enumerable.Range(0, 4).Select(_ => new string(Enumerable.Range(0, 4).Select(_ => Base32[rng.Next(32)]).ToArray())));
        string Password() => rng.Next(3) switch { 0 => VictimPassword, 1 => GuardedPassword, _ => "wrong password guess" };
        string[] oddCodes =
        [
            Digits(5), Digits(7), "abcdef", "١٢٣٤٥٦", "１２３４５６", "१२३४५६", " " + Digits(6), Digits(3) + " " + Digits(3), Digits(6) + "\\u0000",
            "-12345", "1e5", "000000", "999999", "\\ud800\\udc00" + Digits(4), Digits(6) + "\\r\\n", "", " ", Digits(rng.Next(100, 12_000)),
            "12345\\u0660", "0x1E240", Recovery(),
        ];
        string[] oddRecovery =
        [
            "", "----", "- - - -", Recovery().ToLowerInvariant(), Recovery().Replace("-", ""), Recovery().Replace("-", " "),
            Recovery() + "-" + Recovery(), Recovery() + "\\u0000", "ßßßß-ßßßß-ßßßß-ßßßß", "ıııı-İİİİ-ıııı-İİİİ",
            new string('-', rng.Next(100, 12_000)), new string('A', rng.Next(17, 12_000)), "\\u202e" + Recovery(), Digits(6),
            "ＡＢＣＤ-ＥＦＧＨ-ＩＪＫＬ-ＭＮＯＰ", Recovery().Replace('-', '\u2010'),
        ];
        string Odd(string[] values) => values[rng.Next(values.Length)];
        byte[] S(string s) => Encoding.UTF8.GetBytes(s);
        switch (rng.Next(11))
        {
            case 0: return ("2fa-code", S($"{{\"code\":\"{Digits(6)}\"}}"));
            case 1: return ("2fa-password-code", S($"{{\"password\":\"{Password()}\",\"code\":\"{(rng.Next(2) == 0 ? Digits(6) : Recovery())}\"}}"));
            case 2: return ("2fa-recovery", S($"{{\"recoveryCode\":\"{Recovery()}\"}}"));
            case 3: return ("2fa-code-odd", S($"{{\"password\":\"{Password()}\",\"code\":\"{Odd(oddCodes)}\"}}"));
            case 4: return ("2fa-recovery-odd", S($"{{\"recoveryCode\":\"{Odd(oddRecovery)}\",\"code\":\"{Odd(oddRecovery)}\",\"password\":\"{Password()}\"}}"));
            case 5:
            {
                string[] values = ["123456", "true", "null", "[]", "{}", "1e400", "-0", "\"\"", "[\"123456\"]", "9999999999999999999999", "{\"code\":\"123456\"}", "0.5"];
                string V() => values[rng.Next(values.Length)];
                return ("2fa-wrong-types", S($"{{\"password\":{V()},\"code\":{V()},\"recoveryCode\":{V()}}}"));
            }
            case 6: return ("2fa-code-and-recovery", S($"{{\"code\":\"{Digits(6)}\",\"recoveryCode\":\"{Recovery()}\",\"password\":\"{Password()}\"}}"));
            case 7: return ("2fa-duplicate-keys", S($"{{\"code\":\"{Digits(6)}\",\"code\":1,\"recoveryCode\":\"{Recovery()}\",\"recoveryCode\":null,\"password\":\"{VictimPassword}\",\"password\":\"x\"}}"));
            case 8:
            {
                string[] passwords = [VictimPassword, GuardedPassword, "wrong password guess", "", "pass\\u0000word with nul", new string('p', rng.Next(129, 12_000)), "\\ud800"];
                return ("2fa-password", S($"{{\"password\":\"{passwords[rng.Next(passwords.Length)]}\"}}"));
            }
            case 9: return ("2fa-guarded-login", S($"{{\"username\":\"{(rng.Next(2) == 0 ? GuardedName : GuardedName.ToUpperInvariant())}\",\"password\":\"{GuardedPassword}\",\"code\":\"{Digits(6)}\"}}"));
            default: return ("2fa-huge", S($"{{\"code\":\"{new string('7', rng.Next(1000, 300_000))}\",\"recoveryCode\":\"{new string('R', rng.Next(1000, 300_000))}\"}}"));
        }
    }

    /// <summary>The account with TOTP on: its own session (never in the barrage), the secret, the pending-login cookies it got.</summary>
    private sealed class Guarded(string session, string secret, long confirmedStep, IReadOnlyList<string> pendingCookies)
    {
        public IReadOnlyList<string> PendingCookies => pendingCookies;

        public string Session => session;

        /// <summary>Registers the account, turns TOTP on with a code computed here, and logs in (password only) three times.</summary>
        public static async Task<Guarded?> SetUp(Check c, HttpClient http)
        {
            var reg = await http.Register(GuardedName, GuardedEmail, GuardedPassword);
            var login = await http.Login(GuardedName, GuardedPassword);
            if (!c.That(reg.Status == 201 && login.SessionCookie is not null, () => $"set-up of the guarded account failed: {reg} / {login}")) return null;
            var session = login.SessionCookie!;
            var enrol = await http.Call(Http.Json(HttpMethod.Post, "/me/2fa/totp", new { password = GuardedPassword }, session), "POST /me/2fa/totp");
            if (!c.That(enrol.Status == 200 && enrol.Field("secret") is { Length: > 0 }, () => $"TOTP enrolment of the guarded account failed: {enrol}")) return null;
            var secret = enrol.Field("secret")!;
            var step = Totp.StepNow;
            var confirm = await http.Call(Http.Json(HttpMethod.Post, "/me/2fa/totp/confirm", new { code = Totp.Code(secret, step) }, session), "POST /me/2fa/totp/confirm");
            if (!c.That(confirm.Status == 200 && RecoveryCodes(confirm) == 10, () => $"TOTP confirmation of the guarded account failed: {confirm}")) return null;
            var pending = new List<string>();
            for (var i = 0; i < 3; i++)
            {
                var step1 = await http.Login(GuardedName, GuardedPassword);
                if (!c.That(step1.Status == 200 && step1.Field("twoFactorRequired") == "True" && PendingCookie(step1) is not null && step1.SessionCookie is null,
                        () => $"the guarded account's password login did not ask for the second factor: {step1}")) return null;
                pending.Add(PendingCookie(step1)!);
            }
            return new Guarded(session, secret, step, pending);
        }

        /// <summary>
        /// After the barrage: its session still works (nothing that would end it can succeed without a code), the factor
        /// is still on with all ten recovery codes (none was guessed), no passkey was added, and a login with the
        /// password and a right code works, unless the barrage's wrong passwords or codes still hold the account's
        /// throttles (then 429 with Retry-After).
        /// </summary>
        public async Task Unchanged(Check c, HttpClient http)
        {
            var me = await http.Me(session);
            c.That(me.Status == 200 && me.Field("twoFactorEnabled") == "True" && me.Field("recoveryCodesLeft") == "10",
                () => $"after the barrage the guarded account's /me is {me} (expected TOTP on, 10 recovery codes left)");
            await NoPasskeys(c, http, "the guarded account", session);
            // The barrage sent wrong passwords with its session too: the password may be throttled for a while.
            var login = await http.Login(GuardedName, GuardedPassword);
            c.Info($"after the barrage the guarded account's password login: {login.Status}" + (login.Status == 429 ? $" (Retry-After {login.RetryAfter})" : ""));
            if (login.Status == 429)
            {
                c.That(login.RetryAfter is not null && login.IsProblem, () => $"a throttled login without Retry-After: {login}");
                return;
            }
            if (!c.That(login.Status == 200 && login.Field("twoFactorRequired") == "True" && PendingCookie(login) is not null && login.SessionCookie is null,
                    () => $"after the barrage the guarded account's password login: {login}")) return;
            // The confirmation used its step; a later one is due (one step ahead is inside the window).
            var code = Totp.Code(secret, Math.Max(Totp.StepNow, confirmedStep + 1));
            var second = await http.Call(Http.Json(HttpMethod.Post, "/login/2fa", new { code }, PendingCookie(login)), "POST /login/2fa {code}");
            c.Info($"after the barrage the guarded account's login with a right code: {second.Status}" + (second.Status == 429 ? $" (Retry-After {second.RetryAfter})" : ""));
            c.That(second.Status == 200 && second.SessionCookie is not null || second.Status == 429 && second.RetryAfter is not null && second.IsProblem,
                () => $"after the barrage a right code for the guarded account got {second} (expected 200 with a session, or 429 with Retry-After)");
        }

        private static int RecoveryCodes(Reply r) =>
            r.Json() is { ValueKind: JsonValueKind.Object } o && o.TryGetProperty("recoveryCodes", out var codes) && codes.ValueKind == JsonValueKind.Array
                ? codes.GetArrayLength() : -1;

        /// <summary>"sliceauth.2fa=…" of a pending-login cookie this answer sets (not a deletion), or null.</summary>
        private static string? PendingCookie(Reply r) => r.SetCookies
            .Select(s => s.Split(';')[0])
            .FirstOrDefault(s => s.StartsWith("sliceauth.2fa=") && s.Length > "sliceauth.2fa=".Length);
    }

    /// <summary>The account lists no passkey: the barrage had no authenticator, so no attestation it sent can have been stored.</summary>
    private static async Task NoPasskeys(Check c, HttpClient http, string who, string? session)
    {
        var list = await http.Call(Http.Get("/me/passkeys", session), "GET /me/passkeys");
        c.That(list.Status == 200 && list.Json() is { ValueKind: JsonValueKind.Array } a && a.GetArrayLength() == 0,
            () => $"after the barrage {who} lists passkeys: {list}");
    }
}
