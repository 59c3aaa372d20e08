using System.Net;
using SliceAuth.Tests.Infrastructure;

namespace SliceAuth.Tests.Features.ListPasskeys;

public sealed class ListPasskeysTests : AppTest
{
    [Fact]
    public async Task Lists_the_accounts_own_passkeys_oldest_first_without_key_material()
    {
        var cookie = await Client.RegisterAndLogin("lister");
        var other = await Client.RegisterAndLogin("someone");
        using var laptop = new SoftwareAuthenticator();
        using var phone = new SoftwareAuthenticator();
        using var theirs = new SoftwareAuthenticator();
        await Client.RegisterPasskey(cookie, laptop, "laptop");
        App.Clock.Advance(TimeSpan.FromSeconds(1));
        await Client.RegisterPasskey(cookie, phone, "phone");
        await Client.RegisterPasskey(other, theirs, "theirs");

        var list = await Client.Passkeys(cookie);

        Assert.Equal(["laptop", "phone"], list.Select(p => p.GetProperty("name").GetString()));
        Assert.All(list, p => Assert.Equal(["createdAt", "id", "lastUsedAt", "name"], p.EnumerateObject().Select(x => x.Name).Order()));
    }

    [Fact]
    public async Task An_account_without_passkeys_gets_an_empty_list()
    {
        Assert.Empty(await Client.Passkeys(await Client.RegisterAndLogin("none")));
    }

    [Fact]
    public async Task Without_a_session_gets_401()
    {
        await (await Client.Get("/me/passkeys")).Problem(HttpStatusCode.Unauthorized);
    }
}
