using System.Net;
using System.Net.Http.Json;
using OtpNet;

namespace SliceAuth.Tests.Infrastructure;

/// <summary>
/// The second-factor routes spoken over HTTP, and the authenticator app's side: Otp.NET computing codes from the
/// secret the API handed out, at the time of the app's <see cref="ManualClock"/> (or off it, for clock skew).
/// </summary>
public static class TwoFactorApi
{
    public const string PendingCookieName = "sliceauth.2fa";

    /// <summary>The code an authenticator app shows for <paramref name="secret"/> at <paramref name="clock"/>'s time, moved by <paramref name="skew"/>.</summary>
    public static string CodeAt(string secret, ManualClock clock, TimeSpan skew = default) =>
        new Totp(Base32Encoding.ToBytes(secret)).ComputeTotp((clock.GetUtcNow() + skew).UtcDateTime);

    public static Task<HttpResponseMessage> StartEnrolment(this HttpClient client, string cookie, string password = Api.Password) =>
        client.Send(HttpMethod.Post, "/me/2fa/totp", cookie, new { password });

    public static Task<HttpResponseMessage> ConfirmTotp(this HttpClient client, string cookie, string code) =>
        client.Send(HttpMethod.Post, "/me/2fa/totp/confirm", cookie, new { code });

    public static Task<HttpResponseMessage> ReplaceRecoveryCodes(this HttpClient client, string cookie, string code, string password = Api.Password) =>
        client.Send(HttpMethod.Post, "/me/2fa/recovery-codes", cookie, new { password, code });

    public static Task<HttpResponseMessage> DisableTotp(this HttpClient client, string cookie, string code, string password = Api.Password) =>
        client.Send(HttpMethod.Delete, "/me/2fa", cookie, new { password, code });

    /// <summary>POST /login/2fa with the pending cookie and a body of {code} or {recoveryCode}.</summary>
    public static Task<HttpResponseMessage> LoginSecondFactor(this HttpClient client, string? pendingCookie, string? code = null, string? recoveryCode = null) =>
        client.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/login/2fa")
        {
            Content = recoveryCode is null ? JsonContent.Create(new { code }) : JsonContent.Create(new { recoveryCode }),
        }.WithCookie(pendingCookie));

    /// <summary>Enrols and confirms TOTP with the app's current code; the secret and the recovery codes.</summary>
    public static async Task<(string Secret, string[] RecoveryCodes)> EnableTotp(this HttpClient client, string cookie, ManualClock clock)
    {
        var enrolment = await client.StartEnrolment(cookie);
        Assert.Equal(HttpStatusCode.OK, enrolment.StatusCode);
        var secret = (await enrolment.Json()).GetProperty("secret").GetString()!;
        var confirm = await client.ConfirmTotp(cookie, CodeAt(secret, clock));
        Assert.Equal(HttpStatusCode.OK, confirm.StatusCode);
        var codes = (await confirm.Json()).GetProperty("recoveryCodes").EnumerateArray().Select(c => c.GetString()!).ToArray();
        return (secret, codes);
    }

    /// <summary>The password step of a TOTP account's login; the "name=value" pending cookie.</summary>
    public static async Task<string> LoginPending(this HttpClient client, string username, string password = Api.Password)
    {
        var login = await client.Login(username, password);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.True((await login.Json()).GetProperty("twoFactorRequired").GetBoolean());
        return login.PendingCookie();
    }

    /// <summary>The Set-Cookie header of the pending cookie, whole.</summary>
    public static string PendingCookieHeader(this HttpResponseMessage response) =>
        Assert.Single(response.Headers.TryGetValues("Set-Cookie", out var values) ? values : [], v => v.StartsWith(PendingCookieName + "="));

    public static string PendingCookie(this HttpResponseMessage response) => response.PendingCookieHeader().Split(';')[0];

    /// <summary>A new step of the app's clock: the code of the previous one was accepted and would be a replay now.</summary>
    public static void NextStep(this ManualClock clock) => clock.Advance(TimeSpan.FromSeconds(30));
}
