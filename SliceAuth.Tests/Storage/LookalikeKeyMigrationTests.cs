using SliceAuth.Data.LiteDb;
using System.Net;
using LiteDB;
using Microsoft.Extensions.Logging;
using SliceAuth.Data;
using SliceAuth.Tests.Infrastructure;

namespace SliceAuth.Tests.Storage;

/// <summary>
/// Accounts from before the look-alike rule keep working: at start each gets its key. Of two existing accounts
/// whose names look alike, both keep logging in; the older keeps the name's reservation, and one warning says so.
/// </summary>
[Trait("Storage", "LiteDb")]
public sealed class LookalikeKeyMigrationTests : IDisposable
{
    private readonly string _dir = TempDirectory.Create();

    /// <summary>Rewrites the file as a version without look-alike keys would have left it, with <paramref name="second"/> beside "admin".</summary>
    private async Task MakeOldDatabaseWithTwoLookalikes(string second = "ɑdmin")
    {
        using (var app = new SliceAuthApp(_dir))
        {
            var client = app.Client();
            (await client.Register("admin")).EnsureSuccessStatusCode();
            app.Clock.Advance(TimeSpan.FromMinutes(1));
            (await client.Register("placeholder")).EnsureSuccessStatusCode();
        }

        // The stopped app may still be closing its database: the directory lock says when it is done.
        using var directoryLock = await AcquireLock();
        using var db = new LiteDatabase(new ConnectionString { Filename = Path.Combine(_dir, LiteDbDatabase.FileName) });
        var users = db.GetCollection("users");
        foreach (var index in db.GetCollection("$indexes").Find(Query.EQ("collection", "users")).Select(i => i["name"].AsString))
            if (index.Contains("Lookalike", StringComparison.OrdinalIgnoreCase)) users.DropIndex(index);
        foreach (var user in users.FindAll().ToList())
        {
            foreach (var field in user.Keys.Where(k => k.Contains("Lookalike", StringComparison.OrdinalIgnoreCase)).ToList()) user.Remove(field);
            if (user["Username"].AsString == "placeholder")
            {
                user["Username"] = second;
                user["UsernameKey"] = SliceAuth.Accounts.Usernames.Key(second);
            }
            users.Update(user);
        }
        if (db.CollectionExists("meta")) db.DropCollection("meta");
    }

    private async Task<DataDirectoryLock> AcquireLock()
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return DataDirectoryLock.Acquire(_dir);
            }
            catch (StorageUnavailableException) when (attempt < 100)
            {
                await Task.Delay(50);
            }
        }
    }

    [Fact]
    public async Task Two_existing_lookalike_accounts_both_keep_logging_in_and_the_older_keeps_the_name()
    {
        await MakeOldDatabaseWithTwoLookalikes();

        using var app = new SliceAuthApp(_dir);
        var client = app.Client();

        Assert.Equal(HttpStatusCode.OK, (await client.Login("admin")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.Login("ɑdmin")).StatusCode);
        await (await client.Register("admın")).Problem(HttpStatusCode.Conflict);
        await (await client.Register("adrnin")).Problem(HttpStatusCode.Conflict);
        var warnings = app.Logs.Entries.Where(e => e.Level == LogLevel.Warning && e.Message.Contains("look alike")).ToList();
        var warning = Assert.Single(warnings);
        Assert.Contains("ɑdmin", warning.Message);
        Assert.DoesNotContain(Api.Password, warning.AllText);
        Assert.DoesNotContain("$2", warning.AllText); // no hash
    }

    [Fact]
    public async Task The_collision_is_reported_once_not_at_every_start()
    {
        await MakeOldDatabaseWithTwoLookalikes();
        using (var first = new SliceAuthApp(_dir)) first.Client();

        using var again = new SliceAuthApp(_dir);
        Assert.Equal(HttpStatusCode.OK, (await again.Client().Login("ɑdmin")).StatusCode);

        Assert.DoesNotContain(again.Logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("look alike"));
    }

    [Fact]
    public async Task When_the_older_account_is_deleted_the_newer_one_takes_over_the_name_at_the_next_start()
    {
        await MakeOldDatabaseWithTwoLookalikes();
        using (var first = new SliceAuthApp(_dir))
        {
            var client = first.Client();
            var cookie = (await client.Login("admin")).SessionCookie();
            Assert.Equal(HttpStatusCode.NoContent, (await client.Send(HttpMethod.Delete, "/me", cookie, new { password = Api.Password })).StatusCode);
        }

        using var second = new SliceAuthApp(_dir);
        await (await second.Client().Register("admin")).Problem(HttpStatusCode.Conflict);
        Assert.Equal(HttpStatusCode.OK, (await second.Client().Login("ɑdmin")).StatusCode);
    }

    [Fact]
    public async Task An_existing_mixed_script_account_keeps_logging_in()
    {
        await MakeOldDatabaseWithTwoLookalikes("аdmin"); // Cyrillic а: registration refuses this name now

        using var app = new SliceAuthApp(_dir);
        var client = app.Client();

        Assert.Equal(HttpStatusCode.OK, (await client.Login("аdmin")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.Login("admin")).StatusCode);
        await (await client.Register("аdmin")).Problem(HttpStatusCode.BadRequest);
    }

    public void Dispose() => TempDirectory.Delete(_dir);
}
