using System.Security.Cryptography;
using SliceAuth.Data;

namespace SliceAuth.Tests.Storage.Contract;

/// <summary>
/// What every storage provider promises the email flows (<see cref="IEmailTokenStore"/>, <see cref="IMailQuota"/>,
/// <see cref="User.EmailVerified"/>), run unchanged against each engine: a token is redeemed at most once, only
/// while it is live and still matches its account, together with the change it authorises; a quota never gives
/// more than its limit in a window, however many take at once.
/// </summary>
public abstract class EmailStoreContract : StorageContract
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    protected EmailStoreContract()
    {
        Tokens = Service<IEmailTokenStore>();
        Quota = Service<IMailQuota>();
    }

    protected IEmailTokenStore Tokens { get; }

    protected IMailQuota Quota { get; }

    // The address is typed in mixed case, so a test can tell the address as given from its key.
    private Task<User> Added(string name, bool verified = false) => base.Added(name, $"{name}@Example.com", verified);

    private static EmailToken NewToken(User user, EmailTokenPurpose purpose, string? email = null, DateTime? expires = null, Guid? stamp = null) => new()
    {
        Id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)),
        AccountId = user.Id,
        Purpose = purpose,
        Email = email ?? user.Email,
        EmailKey = (email ?? user.Email).ToLowerInvariant(),
        CredentialStamp = stamp ?? user.CredentialStamp,
        CreatedAt = T0,
        ExpiresAt = expires ?? T0 + Hour,
    };

    private async Task<EmailToken> Issued(User user, EmailTokenPurpose purpose, string? email = null, DateTime? expires = null, Guid? stamp = null)
    {
        var token = NewToken(user, purpose, email, expires, stamp);
        Assert.True(await Tokens.AddAsync(token));
        return token;
    }

    private async Task<Session> SignedIn(User user)
    {
        var session = new Session
        {
            Id = Guid.NewGuid().ToString("N"),
            Handle = Guid.NewGuid().ToString("N"),
            UserId = user.Id,
            Username = user.Username,
            CreatedAt = T0,
            LastSeenAt = T0,
            ExpiresAt = T0.AddHours(12),
        };
        await Sessions.AddAsync(session);
        return session;
    }

    private async Task<bool> IsLive(EmailToken token) => await Tokens.FindLiveAsync(token.Id, T0, token.Purpose) is not null;

    private async Task<User> Stored(User user) => (await Accounts.FindByIdAsync(user.Id))!;

    [Fact]
    public async Task EmailVerified_round_trips_through_adding_and_finding_an_account()
    {
        var verified = await Added("vera", verified: true);
        var unverified = await Added("ulla");

        Assert.True((await Stored(verified)).EmailVerified);
        Assert.False((await Stored(unverified)).EmailVerified);
        Assert.True((await Accounts.FindByUsernameKeyAsync("vera"))!.EmailVerified);
    }

    [Fact]
    public async Task A_token_is_found_while_it_is_live_and_only_for_its_purpose()
    {
        var token = await Issued(await Added("alice"), EmailTokenPurpose.ResetPassword, expires: T0 + Hour);

        var found = await Tokens.FindLiveAsync(token.Id, T0, EmailTokenPurpose.ResetPassword);
        Assert.Equal(token.AccountId, found!.AccountId);
        Assert.Equal(EmailTokenPurpose.ResetPassword, found.Purpose);
        Assert.Equal(token.Email, found.Email);
        Assert.Equal(token.EmailKey, found.EmailKey);
        Assert.Equal(token.CredentialStamp, found.CredentialStamp);
        Assert.Equal(T0, found.CreatedAt);
        Assert.Equal(T0 + Hour, found.ExpiresAt);
        Assert.NotNull(await Tokens.FindLiveAsync(token.Id, T0, EmailTokenPurpose.VerifyEmail, EmailTokenPurpose.ResetPassword));

        Assert.Null(await Tokens.FindLiveAsync(token.Id, T0, EmailTokenPurpose.VerifyEmail, EmailTokenPurpose.ChangeEmail));
        Assert.Null(await Tokens.FindLiveAsync(token.Id, T0 + Hour, EmailTokenPurpose.ResetPassword)); // expired at its end
        Assert.Null(await Tokens.FindLiveAsync(NewToken(await Added("bob"), EmailTokenPurpose.ResetPassword).Id, T0, EmailTokenPurpose.ResetPassword));
        Assert.Null(await Tokens.FindLiveAsync(token.Id + "\0", T0, EmailTokenPurpose.ResetPassword));
        Assert.Null(await Tokens.FindLiveAsync(token.Id.ToUpperInvariant(), T0, EmailTokenPurpose.ResetPassword));
    }

    [Fact]
    public async Task A_token_for_an_account_that_does_not_exist_is_not_stored()
    {
        var ghost = new User { Id = Guid.NewGuid(), Email = "ghost@example.com" };
        var token = NewToken(ghost, EmailTokenPurpose.VerifyEmail);

        Assert.False(await Tokens.AddAsync(token));

        Assert.Null(await Tokens.FindLiveAsync(token.Id, T0, EmailTokenPurpose.VerifyEmail));
    }

    [Fact]
    public async Task Verifying_marks_the_address_verified_and_the_token_works_once()
    {
        var user = await Added("alice");
        var token = await Issued(user, EmailTokenPurpose.VerifyEmail);

        var redeemed = await Tokens.RedeemEmailTokenAsync(token.Id, T0);

        Assert.Equal(EmailRedemption.Outcome.Verified, redeemed.Result);
        Assert.Equal(EmailTokenPurpose.VerifyEmail, redeemed.Purpose);
        Assert.Equal(user.Id, redeemed.Before!.Id);
        Assert.False(redeemed.Before.EmailVerified);
        Assert.True((await Stored(user)).EmailVerified);
        Assert.False(await IsLive(token));
        Assert.Equal(EmailRedemption.Outcome.Invalid, (await Tokens.RedeemEmailTokenAsync(token.Id, T0)).Result);
    }

    [Fact]
    public async Task A_verification_for_an_address_the_account_no_longer_has_changes_nothing()
    {
        var user = await Added("alice");
        var former = await Issued(user, EmailTokenPurpose.VerifyEmail, email: "old-alice@example.com");

        Assert.Equal(EmailRedemption.Outcome.Invalid, (await Tokens.RedeemEmailTokenAsync(former.Id, T0)).Result);

        Assert.False((await Stored(user)).EmailVerified);
        Assert.True(await IsLive(former));
    }

    [Fact]
    public async Task An_expired_unknown_or_reset_token_redeems_nothing_as_an_email_token()
    {
        var user = await Added("alice");
        var expired = await Issued(user, EmailTokenPurpose.VerifyEmail, expires: T0);
        var reset = await Issued(user, EmailTokenPurpose.ResetPassword);

        Assert.Same(EmailRedemption.Invalid, await Tokens.RedeemEmailTokenAsync(expired.Id, T0));
        Assert.Same(EmailRedemption.Invalid, await Tokens.RedeemEmailTokenAsync(reset.Id, T0));
        Assert.Same(EmailRedemption.Invalid, await Tokens.RedeemEmailTokenAsync("no-such-token", T0));
        Assert.Same(EmailRedemption.Invalid, await Tokens.RedeemEmailTokenAsync(reset.Id + "\0", T0));

        Assert.False((await Stored(user)).EmailVerified);
        Assert.NotNull(await Tokens.FindLiveAsync(expired.Id, T0 - TimeSpan.FromSeconds(1), EmailTokenPurpose.VerifyEmail));
        Assert.True(await IsLive(reset));
    }

    [Fact]
    public async Task Changing_the_email_sets_the_new_address_verified_and_ends_the_other_verify_and_change_tokens()
    {
        var alice = await Added("alice");
        var verify = await Issued(alice, EmailTokenPurpose.VerifyEmail);
        var otherChange = await Issued(alice, EmailTokenPurpose.ChangeEmail, email: "elsewhere@example.com");
        var reset = await Issued(alice, EmailTokenPurpose.ResetPassword);
        var bobsVerify = await Issued(await Added("bob"), EmailTokenPurpose.VerifyEmail);
        var change = await Issued(alice, EmailTokenPurpose.ChangeEmail, email: "Alice.New@example.com");

        var redeemed = await Tokens.RedeemEmailTokenAsync(change.Id, T0);

        Assert.Equal(EmailRedemption.Outcome.Changed, redeemed.Result);
        Assert.Equal(EmailTokenPurpose.ChangeEmail, redeemed.Purpose);
        Assert.Equal("alice@Example.com", redeemed.Before!.Email); // where the notice of the change goes
        var stored = await Stored(alice);
        Assert.Equal("Alice.New@example.com", stored.Email);
        Assert.Equal("alice.new@example.com", stored.EmailKey);
        Assert.True(stored.EmailVerified);
        Assert.Equal(alice.CredentialStamp, stored.CredentialStamp);
        Assert.False(await IsLive(change));
        Assert.False(await IsLive(verify));
        Assert.False(await IsLive(otherChange));
        Assert.True(await IsLive(reset));
        Assert.True(await IsLive(bobsVerify));
        Assert.Equal(AddAccountResult.Added, await Accounts.TryAddAsync(new User
        {
            Id = Guid.NewGuid(), Username = "carol", UsernameKey = "carol", Email = "alice@Example.com", EmailKey = "alice@example.com",
            PasswordHash = "h", CredentialStamp = Guid.NewGuid(), CreatedAt = T0,
        })); // the old address is free
    }

    [Fact]
    public async Task Changing_to_an_address_another_account_holds_changes_nothing_and_keeps_the_token()
    {
        var alice = await Added("alice");
        var bob = await Added("bob");
        var change = await Issued(alice, EmailTokenPurpose.ChangeEmail, email: "BOB@example.com");

        var redeemed = await Tokens.RedeemEmailTokenAsync(change.Id, T0);

        Assert.Equal(EmailRedemption.Outcome.EmailTaken, redeemed.Result);
        Assert.Equal("alice@example.com", (await Stored(alice)).EmailKey);
        Assert.False((await Stored(alice)).EmailVerified);
        Assert.True(await IsLive(change));

        Assert.True(await Accounts.DeleteAccountAsync(bob.Id, bob.CredentialStamp));
        Assert.Equal(EmailRedemption.Outcome.Changed, (await Tokens.RedeemEmailTokenAsync(change.Id, T0)).Result);
        Assert.Equal("bob@example.com", (await Stored(alice)).EmailKey);
    }

    [Fact]
    public async Task A_change_token_dies_with_a_password_change()
    {
        var alice = await Added("alice");
        var change = await Issued(alice, EmailTokenPurpose.ChangeEmail, email: "new@example.com");
        Assert.True(await Accounts.ChangePasswordAsync(alice.Id, alice.CredentialStamp, "new-hash", Guid.NewGuid(), await SignedIn(alice)));

        Assert.Same(EmailRedemption.Invalid, await Tokens.RedeemEmailTokenAsync(change.Id, T0));

        Assert.Equal("alice@example.com", (await Stored(alice)).EmailKey);
        Assert.False((await Stored(alice)).EmailVerified);
    }

    [Fact]
    public async Task A_reset_sets_the_password_ends_every_session_and_every_reset_token_of_the_account()
    {
        var alice = await Added("alice");
        await SignedIn(alice);
        await SignedIn(alice);
        var bobsSession = await SignedIn(await Added("bob"));
        var reset = await Issued(alice, EmailTokenPurpose.ResetPassword);
        var otherReset = await Issued(alice, EmailTokenPurpose.ResetPassword);
        var verify = await Issued(alice, EmailTokenPurpose.VerifyEmail);
        var newStamp = Guid.NewGuid();

        var before = await Tokens.RedeemResetTokenAsync(reset.Id, T0, "new-hash", newStamp);

        Assert.Equal(alice.Id, before!.Id);
        Assert.Equal(alice.PasswordHash, before.PasswordHash);
        Assert.Equal(alice.CredentialStamp, before.CredentialStamp);
        var stored = await Stored(alice);
        Assert.Equal("new-hash", stored.PasswordHash);
        Assert.Equal(newStamp, stored.CredentialStamp);
        Assert.Empty(await Sessions.ListByAccountAsync(alice.Id));
        Assert.NotNull(await Sessions.FindAsync(bobsSession.Id));
        Assert.False(await IsLive(reset));
        Assert.False(await IsLive(otherReset));
        Assert.True(await IsLive(verify));
        Assert.Null(await Tokens.RedeemResetTokenAsync(reset.Id, T0, "again", Guid.NewGuid()));
        Assert.Equal("new-hash", (await Stored(alice)).PasswordHash);
    }

    [Fact]
    public async Task A_reset_token_issued_under_another_stamp_changes_nothing()
    {
        var alice = await Added("alice");
        var session = await SignedIn(alice);
        var stale = await Issued(alice, EmailTokenPurpose.ResetPassword, stamp: Guid.NewGuid());

        Assert.Null(await Tokens.RedeemResetTokenAsync(stale.Id, T0, "new-hash", Guid.NewGuid()));

        var stored = await Stored(alice);
        Assert.Equal(alice.PasswordHash, stored.PasswordHash);
        Assert.Equal(alice.CredentialStamp, stored.CredentialStamp);
        Assert.NotNull(await Sessions.FindAsync(session.Id));
        Assert.True(await IsLive(stale));
    }

    [Fact]
    public async Task An_expired_or_other_purpose_token_resets_nothing()
    {
        var alice = await Added("alice");
        var session = await SignedIn(alice);
        var expired = await Issued(alice, EmailTokenPurpose.ResetPassword, expires: T0);
        var verify = await Issued(alice, EmailTokenPurpose.VerifyEmail);

        Assert.Null(await Tokens.RedeemResetTokenAsync(expired.Id, T0, "new-hash", Guid.NewGuid()));
        Assert.Null(await Tokens.RedeemResetTokenAsync(verify.Id, T0, "new-hash", Guid.NewGuid()));
        Assert.Null(await Tokens.RedeemResetTokenAsync(expired.Id + "\0", T0, "new-hash", Guid.NewGuid()));

        var stored = await Stored(alice);
        Assert.Equal(alice.PasswordHash, stored.PasswordHash);
        Assert.Equal(alice.CredentialStamp, stored.CredentialStamp);
        Assert.NotNull(await Sessions.FindAsync(session.Id));
        Assert.True(await IsLive(verify));
    }

    [Fact]
    public async Task The_tokens_of_a_deleted_account_are_gone_with_it()
    {
        var alice = await Added("alice");
        var verify = await Issued(alice, EmailTokenPurpose.VerifyEmail);
        var reset = await Issued(alice, EmailTokenPurpose.ResetPassword);
        var bobsReset = await Issued(await Added("bob"), EmailTokenPurpose.ResetPassword);

        Assert.True(await Accounts.DeleteAccountAsync(alice.Id, alice.CredentialStamp));

        Assert.False(await IsLive(verify));
        Assert.False(await IsLive(reset));
        Assert.True(await IsLive(bobsReset));
        Assert.Same(EmailRedemption.Invalid, await Tokens.RedeemEmailTokenAsync(verify.Id, T0));
        Assert.Null(await Tokens.RedeemResetTokenAsync(reset.Id, T0, "new-hash", Guid.NewGuid()));
        Assert.False(await Tokens.AddAsync(NewToken(alice, EmailTokenPurpose.VerifyEmail)));
        // Nothing of the account is left to expire either.
        Assert.Equal(1, await Tokens.DeleteExpiredAsync(T0 + Hour));
    }

    [Theory]
    [InlineData(EmailTokenPurpose.VerifyEmail, EmailRedemption.Outcome.Verified)]
    [InlineData(EmailTokenPurpose.ChangeEmail, EmailRedemption.Outcome.Changed)]
    public async Task Twenty_concurrent_redemptions_of_one_email_token_let_exactly_one_succeed(EmailTokenPurpose purpose, EmailRedemption.Outcome success)
    {
        var alice = await Added("alice");
        var token = await Issued(alice, purpose, email: purpose == EmailTokenPurpose.ChangeEmail ? "new@example.com" : null);

        var results = await AllAtOnce(20, _ => Tokens.RedeemEmailTokenAsync(token.Id, T0));

        Assert.Single(results, r => r.Result == success);
        Assert.Equal(19, results.Count(r => r.Result == EmailRedemption.Outcome.Invalid));
        Assert.True((await Stored(alice)).EmailVerified);
        Assert.False(await IsLive(token));
    }

    [Fact]
    public async Task Twenty_concurrent_redemptions_of_one_reset_token_let_exactly_one_set_its_password()
    {
        var alice = await Added("alice");
        var token = await Issued(alice, EmailTokenPurpose.ResetPassword);
        var stamps = Enumerable.Range(0, 20).Select(_ => Guid.NewGuid()).ToArray();

        var results = await AllAtOnce(20, i => Tokens.RedeemResetTokenAsync(token.Id, T0, $"hash-{i}", stamps[i]));

        var winner = Assert.Single(Enumerable.Range(0, 20), i => results[i] is not null);
        Assert.Equal(alice.CredentialStamp, results[winner]!.CredentialStamp);
        var stored = await Stored(alice);
        Assert.Equal($"hash-{winner}", stored.PasswordHash);
        Assert.Equal(stamps[winner], stored.CredentialStamp);
    }

    [Fact]
    public async Task Deleting_expired_tokens_keeps_the_live_ones()
    {
        var alice = await Added("alice");
        await Issued(alice, EmailTokenPurpose.VerifyEmail, expires: T0.AddMinutes(10));
        await Issued(alice, EmailTokenPurpose.ResetPassword, expires: T0.AddMinutes(20));
        var live = await Issued(alice, EmailTokenPurpose.ChangeEmail, email: "new@example.com", expires: T0.AddMinutes(30));

        Assert.Equal(2, await Tokens.DeleteExpiredAsync(T0.AddMinutes(20)));

        Assert.NotNull(await Tokens.FindLiveAsync(live.Id, T0, EmailTokenPurpose.ChangeEmail));
        Assert.Equal(0, await Tokens.DeleteExpiredAsync(T0.AddMinutes(20)));
    }

    [Fact]
    public async Task A_quota_gives_exactly_its_limit_to_fifty_concurrent_takes()
    {
        var taken = await AllAtOnce(50, _ => Quota.TryTakeAsync("mail:alice@example.com", 3, Hour, T0));

        Assert.Equal(3, taken.Count(t => t));
        Assert.False(await Quota.TryTakeAsync("mail:alice@example.com", 3, Hour, T0.AddMinutes(59)));
        Assert.True(await Quota.TryTakeAsync("mail:bob@example.com", 3, Hour, T0)); // another key, another count
        Assert.False(await Quota.TryTakeAsync("mail:carol@example.com", 0, Hour, T0));
    }

    [Fact]
    public async Task A_new_window_starts_with_the_first_take_after_the_old_one_ended()
    {
        const string key = "client:192.0.2.1\0";
        Assert.True(await Quota.TryTakeAsync(key, 2, Hour, T0));
        Assert.True(await Quota.TryTakeAsync(key, 2, Hour, T0.AddMinutes(30)));
        Assert.False(await Quota.TryTakeAsync(key, 2, Hour, T0.AddMinutes(59)));

        var later = T0.AddMinutes(90); // the first take after T0 + 1h starts the next window
        Assert.True(await Quota.TryTakeAsync(key, 2, Hour, later));
        Assert.True(await Quota.TryTakeAsync(key, 2, Hour, later));
        Assert.False(await Quota.TryTakeAsync(key, 2, Hour, T0.AddMinutes(120))); // a window from T0 + 1h would have ended here
        Assert.True(await Quota.TryTakeAsync(key, 2, Hour, later + Hour));
    }

    [Fact]
    public async Task Forgetting_ended_windows_keeps_the_running_ones()
    {
        Assert.True(await Quota.TryTakeAsync("ended", 1, Hour, T0));
        Assert.True(await Quota.TryTakeAsync("running", 1, Hour, T0.AddMinutes(30)));

        Assert.Equal(1, await Quota.ForgetEndedAsync(T0.AddMinutes(61)));

        Assert.False(await Quota.TryTakeAsync("running", 1, Hour, T0.AddMinutes(62)));
        Assert.Equal(0, await Quota.ForgetEndedAsync(T0.AddMinutes(61)));
        Assert.Equal(1, await Quota.ForgetEndedAsync(T0.AddMinutes(91)));
        Assert.True(await Quota.TryTakeAsync("running", 1, Hour, T0.AddMinutes(91)));
    }
}
