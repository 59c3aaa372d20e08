using SliceAuth.Data;

namespace SliceAuth.Tests.Storage.Contract;

/// <summary>
/// What every storage provider promises the slices and the session machinery (<see cref="IAccountStore"/>,
/// <see cref="ISessionRecords"/>), run unchanged against each engine: a provider is one subclass that
/// registers its stores in <see cref="AddStorage"/> (see <see cref="LiteDbStoreContract"/>).
/// </summary>
public abstract class StoreContract : StorageContract
{
    private static Session NewSession(User user, DateTime? lastSeen = null, DateTime? expires = null) => new()
    {
        Id = Guid.NewGuid().ToString("N"),
        Handle = Guid.NewGuid().ToString("N"),
        UserId = user.Id,
        Username = user.Username,
        CreatedAt = T0,
        LastSeenAt = lastSeen ?? T0,
        ExpiresAt = expires ?? T0.AddHours(12),
        UserAgent = "contract",
        IpAddress = "127.0.0.1",
    };

    private async Task AssertNotAdded(User candidate, AddAccountResult expected)
    {
        Assert.Equal(expected, await Accounts.TryAddAsync(candidate));
        Assert.Null(await Accounts.FindByIdAsync(candidate.Id));
    }

    [Fact]
    public async Task Keys_are_found_only_exactly_not_with_a_NUL_or_another_case()
    {
        var user = await Added("alice");

        Assert.Equal(user.Id, (await Accounts.FindByEmailKeyAsync("alice@example.com"))!.Id);
        foreach (var near in new[] { "alice\0", "\0alice", "ali\0ce", "ALICE", "Alice" })
            Assert.Null(await Accounts.FindByUsernameKeyAsync(near));
        foreach (var near in new[] { "alice@example.com\0", "ALICE@example.com" })
            Assert.Null(await Accounts.FindByEmailKeyAsync(near));
    }

    [Fact]
    public async Task An_added_account_is_found_by_username_key_and_by_id()
    {
        var user = await Added("alice");

        var byKey = await Accounts.FindByUsernameKeyAsync("alice");
        var byId = await Accounts.FindByIdAsync(user.Id);

        Assert.Equal(user.Id, byKey!.Id);
        Assert.Equal("alice@example.com", byId!.Email);
        Assert.Equal(user.CredentialStamp, byId.CredentialStamp);
        Assert.Equal(T0, byId.CreatedAt);
        Assert.Null(await Accounts.FindByUsernameKeyAsync("bob"));
        Assert.Null(await Accounts.FindByIdAsync(Guid.NewGuid()));
    }

    [Fact]
    public async Task A_taken_username_key_is_reported_and_nothing_is_added()
    {
        await Added("alice");

        await AssertNotAdded(NewUser("alice", email: "other@example.com", lookalike: "skeleton:other"), AddAccountResult.UsernameTaken);
    }

    [Fact]
    public async Task A_taken_email_is_reported_and_nothing_is_added()
    {
        await Added("alice");

        await AssertNotAdded(NewUser("bob", email: "ALICE@example.com"), AddAccountResult.EmailTaken);
    }

    [Fact]
    public async Task A_taken_lookalike_key_is_reported_and_nothing_is_added()
    {
        await Added("paypal");

        await AssertNotAdded(NewUser("paypa1", lookalike: "skeleton:paypal"), AddAccountResult.LookalikeTaken);
    }

    [Fact]
    public async Task Concurrent_adds_of_one_name_let_exactly_one_win()
    {
        var contenders = Enumerable.Range(0, 32).Select(i => NewUser("race", email: $"race{i}@example.com", lookalike: $"skeleton:race{i}")).ToList();

        var results = await Race(contenders.Count, i => Accounts.TryAddAsync(contenders[i]));

        Assert.Single(results, r => r == AddAccountResult.Added);
        Assert.Equal(31, results.Count(r => r == AddAccountResult.UsernameTaken));
        var winner = contenders[Array.IndexOf(results, AddAccountResult.Added)];
        Assert.Equal(winner.Id, (await Accounts.FindByUsernameKeyAsync("race"))!.Id);
    }

    [Fact]
    public async Task Setting_a_password_hash_keeps_the_credential_stamp()
    {
        var user = await Added("alice");

        Assert.True(await Accounts.SetPasswordHashAsync(user.Id, "rehashed"));

        var stored = await Accounts.FindByIdAsync(user.Id);
        Assert.Equal("rehashed", stored!.PasswordHash);
        Assert.Equal(user.CredentialStamp, stored.CredentialStamp);
        Assert.False(await Accounts.SetPasswordHashAsync(Guid.NewGuid(), "nobody"));
    }

    [Fact]
    public async Task Deleting_an_account_deletes_its_sessions_and_no_others()
    {
        var alice = await Added("alice");
        var bob = await Added("bob");
        var alices = NewSession(alice);
        var bobs = NewSession(bob);
        await Sessions.AddAsync(alices);
        await Sessions.AddAsync(bobs);

        Assert.True(await Accounts.DeleteAccountAsync(alice.Id, alice.CredentialStamp));

        Assert.Null(await Accounts.FindByIdAsync(alice.Id));
        Assert.Null(await Sessions.FindAsync(alices.Id));
        Assert.NotNull(await Sessions.FindAsync(bobs.Id));
        Assert.Equal(AddAccountResult.Added, await Accounts.TryAddAsync(NewUser("alice"))); // the name is free again
    }

    [Fact]
    public async Task Deleting_an_account_is_refused_after_its_stamp_changed_or_it_is_gone()
    {
        var user = await Added("alice");
        var session = NewSession(user);
        await Sessions.AddAsync(session);

        Assert.False(await Accounts.DeleteAccountAsync(user.Id, Guid.NewGuid()));
        Assert.NotNull(await Accounts.FindByIdAsync(user.Id));
        Assert.NotNull(await Sessions.FindAsync(session.Id));

        Assert.True(await Accounts.DeleteAccountAsync(user.Id, user.CredentialStamp));
        Assert.False(await Accounts.DeleteAccountAsync(user.Id, user.CredentialStamp));
    }

    [Fact]
    public async Task A_session_is_added_and_found_by_id()
    {
        var user = await Added("alice");
        var session = NewSession(user);

        await Sessions.AddAsync(session);

        var found = await Sessions.FindAsync(session.Id);
        Assert.Equal(session.Handle, found!.Handle);
        Assert.Equal(user.Id, found.UserId);
        Assert.Equal("alice", found.Username);
        Assert.Equal(session.ExpiresAt, found.ExpiresAt);
        Assert.Equal("contract", found.UserAgent);
        Assert.Null(await Sessions.FindAsync("no-such-id"));
    }

    [Fact]
    public async Task A_touch_only_moves_last_seen_forward()
    {
        var session = NewSession(await Added("alice"));
        await Sessions.AddAsync(session);

        Assert.True(await Sessions.TouchAsync(session.Id, T0.AddMinutes(5)));
        Assert.False(await Sessions.TouchAsync(session.Id, T0.AddMinutes(2))); // a slower writer's older time

        Assert.Equal(T0.AddMinutes(5), (await Sessions.FindAsync(session.Id))!.LastSeenAt);
    }

    [Fact]
    public async Task A_touch_never_resurrects_a_deleted_session()
    {
        var session = NewSession(await Added("alice"));
        await Sessions.AddAsync(session);
        Assert.True(await Sessions.DeleteAsync(session.Id));

        Assert.False(await Sessions.TouchAsync(session.Id, T0.AddMinutes(5)));

        Assert.Null(await Sessions.FindAsync(session.Id));
        Assert.False(await Sessions.DeleteAsync(session.Id));
    }

    [Fact]
    public async Task Listing_gives_every_session_of_the_account_and_only_those()
    {
        var alice = await Added("alice");
        var first = NewSession(alice);
        var second = NewSession(alice);
        await Sessions.AddAsync(first);
        await Sessions.AddAsync(second);
        await Sessions.AddAsync(NewSession(await Added("bob")));

        var listed = await Sessions.ListByAccountAsync(alice.Id);

        Assert.Equal(new[] { first.Handle, second.Handle }.Order(), listed.Select(s => s.Handle).Order());
        Assert.Empty(await Sessions.ListByAccountAsync(Guid.NewGuid()));
    }

    [Fact]
    public async Task A_session_is_deleted_by_handle_only_for_its_own_account()
    {
        var alice = await Added("alice");
        var session = NewSession(alice);
        await Sessions.AddAsync(session);

        Assert.False(await Sessions.DeleteByHandleAsync((await Added("bob")).Id, session.Handle));
        Assert.NotNull(await Sessions.FindAsync(session.Id));

        Assert.True(await Sessions.DeleteByHandleAsync(alice.Id, session.Handle));
        Assert.Null(await Sessions.FindAsync(session.Id));
    }

    [Fact]
    public async Task Deleting_the_others_keeps_only_the_named_session_and_other_accounts()
    {
        var alice = await Added("alice");
        var keep = NewSession(alice);
        await Sessions.AddAsync(keep);
        await Sessions.AddAsync(NewSession(alice));
        await Sessions.AddAsync(NewSession(alice));
        var bobs = NewSession(await Added("bob"));
        await Sessions.AddAsync(bobs);

        Assert.Equal(2, await Sessions.DeleteAllOfAccountAsync(alice.Id, exceptHandle: keep.Handle));
        Assert.Equal(keep.Handle, Assert.Single(await Sessions.ListByAccountAsync(alice.Id)).Handle);

        Assert.Equal(1, await Sessions.DeleteAllOfAccountAsync(alice.Id));
        Assert.Empty(await Sessions.ListByAccountAsync(alice.Id));
        Assert.NotNull(await Sessions.FindAsync(bobs.Id));
    }

    [Fact]
    public async Task Purging_deletes_the_sessions_past_their_absolute_or_idle_limit_only()
    {
        var user = await Added("alice");
        var now = T0.AddHours(1);
        var ended = NewSession(user, lastSeen: now, expires: now);
        var idle = NewSession(user, lastSeen: now.AddMinutes(-30));
        var live = NewSession(user, lastSeen: now.AddMinutes(-29));
        foreach (var s in new[] { ended, idle, live }) await Sessions.AddAsync(s);

        Assert.Equal(2, await Sessions.PurgeExpiredAsync(now, idleCutoff: now.AddMinutes(-30)));

        Assert.Equal(live.Handle, Assert.Single(await Sessions.ListByAccountAsync(user.Id)).Handle);
    }

    [Fact]
    public async Task Starting_a_session_stores_it_and_an_upgraded_hash_while_the_stamp_holds()
    {
        var user = await Added("alice");
        var session = NewSession(user);

        Assert.True(await Accounts.TryStartSessionAsync(user.Id, user.CredentialStamp, session, upgradedHash: "stronger"));

        Assert.NotNull(await Sessions.FindAsync(session.Id));
        var stored = await Accounts.FindByIdAsync(user.Id);
        Assert.Equal("stronger", stored!.PasswordHash);
        Assert.Equal(user.CredentialStamp, stored.CredentialStamp);
    }

    [Fact]
    public async Task Starting_a_session_is_refused_after_the_stamp_changed()
    {
        var user = await Added("alice");
        Assert.True(await Accounts.ChangePasswordAsync(user.Id, user.CredentialStamp, "new", Guid.NewGuid(), NewSession(user)));
        var late = NewSession(user);

        Assert.False(await Accounts.TryStartSessionAsync(user.Id, user.CredentialStamp, late, upgradedHash: "old-password-rehashed"));

        Assert.Null(await Sessions.FindAsync(late.Id));
        Assert.Equal("new", (await Accounts.FindByIdAsync(user.Id))!.PasswordHash);
    }

    [Fact]
    public async Task Starting_a_session_is_refused_after_the_account_was_deleted()
    {
        var user = await Added("alice");
        Assert.True(await Accounts.DeleteAccountAsync(user.Id, user.CredentialStamp));
        var late = NewSession(user);

        Assert.False(await Accounts.TryStartSessionAsync(user.Id, user.CredentialStamp, late));

        Assert.Null(await Sessions.FindAsync(late.Id));
    }

    [Fact]
    public async Task Changing_the_password_ends_every_session_but_the_new_one_in_one_write()
    {
        var user = await Added("alice");
        var old1 = NewSession(user);
        var old2 = NewSession(user);
        await Sessions.AddAsync(old1);
        await Sessions.AddAsync(old2);
        var replacement = NewSession(user);
        var newStamp = Guid.NewGuid();

        Assert.True(await Accounts.ChangePasswordAsync(user.Id, user.CredentialStamp, "new-hash", newStamp, replacement));

        var stored = await Accounts.FindByIdAsync(user.Id);
        Assert.Equal("new-hash", stored!.PasswordHash);
        Assert.Equal(newStamp, stored.CredentialStamp);
        Assert.Equal(replacement.Handle, Assert.Single(await Sessions.ListByAccountAsync(user.Id)).Handle);
    }

    [Fact]
    public async Task Changing_the_password_with_a_stale_stamp_changes_nothing()
    {
        var user = await Added("alice");
        var existing = NewSession(user);
        await Sessions.AddAsync(existing);
        var replacement = NewSession(user);

        Assert.False(await Accounts.ChangePasswordAsync(user.Id, Guid.NewGuid(), "new-hash", Guid.NewGuid(), replacement));

        var stored = await Accounts.FindByIdAsync(user.Id);
        Assert.Equal(user.PasswordHash, stored!.PasswordHash);
        Assert.Equal(user.CredentialStamp, stored.CredentialStamp);
        Assert.Equal(existing.Handle, Assert.Single(await Sessions.ListByAccountAsync(user.Id)).Handle);
    }
}
