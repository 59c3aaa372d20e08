using SliceAuth.Data.LiteDb;
using System.Net;
using System.Text;
using SliceAuth.Data;
using SliceAuth.Tests.Infrastructure;

namespace SliceAuth.Tests.Http;

/// <summary>
/// One value per key: a body that names a property twice (at any depth, compared as the deserializer compares
/// names: ignoring case) is a 400 naming the field, and nothing changes. A proxy, WAF or log that reads the
/// first value must never see a different request from the one SliceAuth acts on.
/// </summary>
public sealed class DuplicateKeyTests : AppTest
{
    private const string Wrong = "not the password at all";

    private Task<HttpResponseMessage> Raw(HttpMethod method, string path, string body, string? cookie = null) =>
        Client.SendAsync(new HttpRequestMessage(method, path)
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        }.WithCookie(cookie));

    private static async Task AssertNamed(HttpResponseMessage response, string field)
    {
        var problem = await response.Problem(HttpStatusCode.BadRequest);
        Assert.Contains(problem.FieldErrors(field), m => m.Contains("more than once"));
        foreach (var leak in new[] { "LineNumber", "BytePosition", "System.", "Exception", "encountered" })
            Assert.DoesNotContain(leak, problem.GetRawText());
    }

    [Theory]
    [InlineData("\"password\":\"" + Wrong + "\",\"password\":\"" + Api.Password + "\"", "password")]
    [InlineData("\"password\":\"" + Wrong + "\",\"Password\":\"" + Api.Password + "\"", "password")]  // the deserializer ignores case
    [InlineData("\"PASSWORD\":\"" + Wrong + "\",\"password\":\"" + Api.Password + "\"", "PASSWORD")]
    [InlineData("\"password\":\"" + Wrong + "\",\"pass\\u0077ord\":\"" + Api.Password + "\"", "password")] // an escape is the same name
    public async Task A_login_naming_the_password_twice_is_400_on_that_field_and_logs_nobody_in(string passwords, string field)
    {
        (await Client.Register("bob")).EnsureSuccessStatusCode();

        var response = await Raw(HttpMethod.Post, "/login", "{\"username\":\"bob\"," + passwords + "}");

        Assert.False(response.Headers.Contains("Set-Cookie"));
        await AssertNamed(response, field);
    }

    [Fact]
    public async Task The_same_login_with_the_password_once_succeeds() // the control for the test above
    {
        (await Client.Register("bob")).EnsureSuccessStatusCode();

        var response = await Raw(HttpMethod.Post, "/login", "{\"username\":\"bob\",\"password\":\"" + Api.Password + "\"}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("{\"username\":\"dup\",\"username\":\"dup2\",\"email\":\"dup@example.com\",\"password\":\"" + Api.Password + "\"}", "username")]
    [InlineData("{\"username\":\"dup\",\"email\":\"dup@example.com\",\"EMAIL\":\"dup2@example.com\",\"password\":\"" + Api.Password + "\"}", "email")]
    [InlineData("{\"username\":\"dup\",\"email\":\"dup@example.com\",\"password\":\"" + Api.Password + "\",\"extra\":1,\"extra\":2}", "extra")]
    [InlineData("{\"username\":\"dup\",\"email\":\"dup@example.com\",\"password\":\"" + Api.Password + "\",\"profile\":{\"a\":1,\"a\":2}}", "profile.a")]
    [InlineData("{\"username\":\"dup\",\"email\":\"dup@example.com\",\"password\":\"" + Api.Password + "\",\"list\":[{},{\"b\":{\"c\":1,\"C\":2}}]}", "list[1].b.c")]
    public async Task A_registration_with_a_duplicate_anywhere_is_400_naming_it_and_creates_nothing(string body, string field)
    {
        await AssertNamed(await Raw(HttpMethod.Post, "/register", body), field);

        Assert.Equal(0, App.StoredUserCount());
    }

    [Fact]
    public async Task A_password_change_naming_the_new_password_twice_is_400_and_changes_nothing()
    {
        var cookie = await Client.RegisterAndLogin("carol");

        var response = await Raw(HttpMethod.Post, "/me/password",
            "{\"currentPassword\":\"" + Api.Password + "\",\"newPassword\":\"one fine new passphrase\",\"newPassword\":\"another new passphrase\"}", cookie);

        await AssertNamed(response, "newPassword");
        Assert.Equal(HttpStatusCode.OK, (await Client.Get("/protected", cookie)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Client.Login("carol")).StatusCode);
        await (await Client.Login("carol", "one fine new passphrase")).Problem(HttpStatusCode.Unauthorized);
        await (await Client.Login("carol", "another new passphrase")).Problem(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task An_account_deletion_naming_the_password_twice_is_400_and_deletes_nothing()
    {
        var cookie = await Client.RegisterAndLogin("dave");

        var response = await Raw(HttpMethod.Delete, "/me", "{\"password\":\"" + Wrong + "\",\"Password\":\"" + Api.Password + "\"}", cookie);

        await AssertNamed(response, "password");
        Assert.Equal(HttpStatusCode.OK, (await Client.Get("/protected", cookie)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Client.Login("dave")).StatusCode);
    }
}
