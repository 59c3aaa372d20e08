using System.Net;
using SliceAuth.Tests.Infrastructure;

namespace SliceAuth.Tests.Features.DeletePasskey;

public sealed class DeletePasskeyTests : AppTest
{
    [Fact]
    public async Task A_removed_passkey_no_longer_logs_in()
    {
        var cookie = await Client.RegisterAndLogin("remover");
        using var passkey = new SoftwareAuthenticator();
        await Client.RegisterPasskey(cookie, passkey);
        var id = Assert.Single(await Client.Passkeys(cookie)).GetProperty("id").GetString();

        Assert.Equal(HttpStatusCode.NoContent, (await Client.Send(HttpMethod.Delete, $"/me/passkeys/{id}", cookie)).StatusCode);

        Assert.Empty(await Client.Passkeys(cookie));
        await (await Client.PasskeyLogin(passkey.Get(await Client.LoginOptions()))).Problem(HttpStatusCode.Unauthorized);
        Assert.Contains(App.Logs.Entries, e => e.EventName == "passkey.removed" && e.AllText.Contains("remover"));
    }

    [Fact]
    public async Task Another_accounts_passkey_is_404_and_keeps_working()
    {
        var mallory = await Client.RegisterAndLogin("mallory");
        var victim = await Client.RegisterAndLogin("victim");
        using var passkey = new SoftwareAuthenticator();
        await Client.RegisterPasskey(victim, passkey);
        var id = Assert.Single(await Client.Passkeys(victim)).GetProperty("id").GetString();

        await (await Client.Send(HttpMethod.Delete, $"/me/passkeys/{id}", mallory)).Problem(HttpStatusCode.NotFound);

        Assert.Single(await Client.Passkeys(victim));
        Assert.Equal(HttpStatusCode.OK, (await Client.PasskeyLogin(passkey.Get(await Client.LoginOptions()))).StatusCode);
    }

    [Theory]
    [InlineData("not-a-guid")]
    [InlineData("00000000-0000-0000-0000-000000000000")]
    public async Task An_unknown_id_is_404(string id)
    {
        var cookie = await Client.RegisterAndLogin("unknown");

        await (await Client.Send(HttpMethod.Delete, $"/me/passkeys/{id}", cookie)).Problem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Without_a_session_gets_401()
    {
        await (await Client.Send(HttpMethod.Delete, $"/me/passkeys/{Guid.NewGuid()}")).Problem(HttpStatusCode.Unauthorized);
    }
}

/// <summary>The account's address hears of passkeys added and removed: either could mean someone else is in.</summary>
public sealed class PasskeyNoticeTests() : MailTest(MailTransport.PickupDirectory)
{
    [Fact]
    public async Task Adding_and_removing_a_passkey_are_told_to_the_address()
    {
        var cookie = await Client.RegisterAndLoginAt("noticed", "noticed@example.com");
        await Mail.NextAsync("noticed@example.com");
        using var passkey = new SoftwareAuthenticator();

        await Client.RegisterPasskey(cookie, passkey, "work key");
        var added = await Mail.NextAsync("noticed@example.com");
        var id = Assert.Single(await Client.Passkeys(cookie)).GetProperty("id").GetString();
        Assert.Equal(HttpStatusCode.NoContent, (await Client.Send(HttpMethod.Delete, $"/me/passkeys/{id}", cookie)).StatusCode);
        var removed = await Mail.NextAsync("noticed@example.com");

        Assert.Contains("added", added.Subject);
        Assert.Contains("work key", added.Text);
        Assert.Contains("removed", removed.Subject);
        Assert.Contains("work key", removed.Text);
    }
}
