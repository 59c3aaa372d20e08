using System.Net;

namespace SliceAuth.Tests.Infrastructure;

/// <summary>The mailed-link routes, spoken over HTTP as an outside client would.</summary>
public static class AccountEmailApi
{
    public static Task<HttpResponseMessage> ForgotPassword(this HttpClient client, string email) =>
        client.Send(HttpMethod.Post, "/password/forgot", json: new { email });

    public static Task<HttpResponseMessage> ResetPassword(this HttpClient client, string token, string newPassword) =>
        client.Send(HttpMethod.Post, "/password/reset", json: new { token, newPassword });

    public static Task<HttpResponseMessage> VerifyEmail(this HttpClient client, string token) =>
        client.Send(HttpMethod.Post, "/email/verify", json: new { token });

    public static Task<HttpResponseMessage> ChangeEmail(this HttpClient client, string cookie, string newEmail, string password = Api.Password) =>
        client.Send(HttpMethod.Post, "/me/email", cookie, new { password, newEmail });

    public static Task<HttpResponseMessage> ResendVerification(this HttpClient client, string cookie) =>
        client.Send(HttpMethod.Post, "/me/email/verification", cookie);

    /// <summary>Registers <paramref name="username"/> at <paramref name="email"/> and logs in; the session cookie.</summary>
    public static async Task<string> RegisterAndLoginAt(this HttpClient client, string username, string email, string password = Api.Password)
    {
        Assert.Equal(HttpStatusCode.Created, (await client.Register(username, email, password)).StatusCode);
        var login = await client.Login(username, password);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        return login.SessionCookie();
    }

    public static async Task<bool> EmailVerified(this HttpClient client, string cookie) =>
        (await (await client.Get("/me", cookie)).Json()).GetProperty("emailVerified").GetBoolean();
}
