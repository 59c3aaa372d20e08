using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using SliceAuth.Data;

namespace SliceAuth.Tests.Storage.Contract;

/// <summary>
/// What every storage provider promises the second factor (<see cref="ISecondFactorStore"/>), run unchanged against
/// each engine: a proof (a TOTP step, a recovery code) opens one door once, however many calls present it at once;
/// a factor change takes the stamp it read, sets a new one and ends every other session in the same commit; an
/// account's factor, codes and pending logins go with it.
/// </summary>
public abstract class SecondFactorStoreContract : IDisposable
{
    private static readonly DateTime T0 = new(2026, 12, 7, 12, 0, 0, DateTimeKind.Utc);
    private static readonly TimeSpan PendingLifetime = TimeSpan.FromMinutes(5);
    private const long EnabledAtStep = 1000;

    private readonly ServiceProvider _services;

    protected SecondFactorStoreContract()
    {
        var services = new ServiceCollection().AddLogging();
        AddStorage(services);
        _services = services.BuildServiceProvider();
        Accounts = _services.GetRequiredService<IAccountStore>();
        Sessions = _services.GetRequiredService<ISessionRecords>();
        Factors = _services.GetRequiredService<ISecondFactorStore>();
    }

    /// <summary>Registers the provider under test, on storage of its own that is empty.</summary>
    protected abstract void AddStorage(IServiceCollection services);

    protected IAccountStore Accounts { get; }

    protected ISessionRecords Sessions { get; }

    protected ISecondFactorStore Factors { get; }

    public virtual void Dispose()
    {
        _services.Dispose();
        GC.SuppressFinalize(this);
    }

    private static string Random32() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    private static string[] NewCodes() => Enumerable.Range(0, 10).Select(_ => Random32()).ToArray();

    private async Task<User> Added(string name)
    {
        var user = new User
        {
            Id = Guid.NewGuid(),
            Username = name,
            UsernameKey = name,
            UsernameLookalikeKey = "skeleton:" + name,
            Email = $"{name}@example.com",
            EmailKey = $"{name}@example.com",
            PasswordHash = "hash-of-" + name,
            CredentialStamp = Guid.NewGuid(),
            CreatedAt = T0,
        };
        Assert.Equal(AddAccountResult.Added, await Accounts.TryAddAsync(user));
        return user;
    }

    private static Session NewSession(User user) => new()
    {
        Id = Random32(),
        Handle = Guid.NewGuid().ToString("N"),
        UserId = user.Id,
        Username = user.Username,
        CreatedAt = T0,
        LastSeenAt = T0,
        ExpiresAt = T0.AddHours(12),
    };

    private async Task<Session> SignedIn(User user)
    {
        var session = NewSession(user);
        await Sessions.AddAsync(session);
        return session;
    }

    private async Task<Guid> StampOf(User user) => (await Accounts.FindByIdAsync(user.Id))!.CredentialStamp;

    private async Task<string[]> SessionIdsOf(User user) =>
        (await Sessions.ListByAccountAsync(user.Id)).Select(s => s.Id).Order(StringComparer.Ordinal).ToArray();

    /// <summary>An account with TOTP on since <see cref="EnabledAtStep"/>, its codes, and the session that turned it on.</summary>
    private async Task<(User User, string[] Codes, Session Kept)> WithTotp(string name)
    {
        var user = await Added(name);
        var kept = await SignedIn(user);
        Assert.True(await Factors.SetPendingSecretAsync(user.Id, "secret-of-" + name));
        var codes = NewCodes();
        var stamp = Guid.NewGuid();
        Assert.True(await Factors.EnableAsync(user.Id, user.CredentialStamp, stamp, "secret-of-" + name, EnabledAtStep, codes, kept.Handle));
        user.CredentialStamp = stamp;
        return (user, codes, kept);
    }

    private async Task<PendingLogin> Pending(User user, DateTime? expires = null, Guid? stamp = null)
    {
        var pending = new PendingLogin
        {
            Id = Random32(),
            AccountId = user.Id,
            CredentialStamp = stamp ?? user.CredentialStamp,
            CreatedAt = T0,
            ExpiresAt = expires ?? T0 + PendingLifetime,
            UserAgent = "contract",
            IpAddress = "127.0.0.1",
        };
        await Factors.AddPendingLoginAsync(pending);
        return pending;
    }

    /// <summary>
    /// Runs <paramref name="count"/> calls released at once on the thread pool, after as many reads at once: an
    /// engine with a connection pool has its connections open, so the calls overlap instead of queueing on opening.
    /// </summary>
    private async Task<T[]> AllAtOnce<T>(int count, Func<int, Task<T>> call)
    {
        await Race(count, _ => Accounts.FindByIdAsync(Guid.NewGuid()));
        return await Race(count, call);
    }

    private static async Task<T[]> Race<T>(int count, Func<int, Task<T>> call)
    {
        using var start = new ManualResetEventSlim();
        var calls = Enumerable.Range(0, count).Select(i => Task.Run(() =>
        {
            start.Wait();
            return call(i);
        })).ToList();
        start.Set();
        return await Task.WhenAll(calls);
    }

    // ---- enrolment ----

    [Fact]
    public async Task An_account_without_a_factor_has_none()
    {
        var user = await Added("alice");

        Assert.Null(await Factors.FindAsync(user.Id));
        Assert.Null(await Factors.FindAsync(Guid.NewGuid()));
    }

    [Fact]
    public async Task A_pending_secret_is_stored_not_enabled_and_a_new_enrolment_replaces_it()
    {
        var user = await Added("alice");

        Assert.True(await Factors.SetPendingSecretAsync(user.Id, "first"));
        var first = await Factors.FindAsync(user.Id);
        Assert.Equal(user.Id, first!.AccountId);
        Assert.Equal("first", first.PendingSecret);
        Assert.Null(first.ProtectedSecret);
        Assert.False(first.Enabled);
        Assert.Empty(first.RecoveryCodeHashes);

        Assert.True(await Factors.SetPendingSecretAsync(user.Id, "second"));
        Assert.Equal("second", (await Factors.FindAsync(user.Id))!.PendingSecret);
        Assert.Equal(user.CredentialStamp, await StampOf(user)); // nothing enabled, nothing re-stamped
    }

    [Fact]
    public async Task No_pending_secret_for_an_account_that_is_gone_or_has_TOTP_on()
    {
        Assert.False(await Factors.SetPendingSecretAsync(Guid.NewGuid(), "orphan"));

        var (user, _, _) = await WithTotp("alice");
        Assert.False(await Factors.SetPendingSecretAsync(user.Id, "another"));
        var factor = await Factors.FindAsync(user.Id);
        Assert.Equal("secret-of-alice", factor!.ProtectedSecret);
        Assert.Null(factor.PendingSecret);
    }

    [Fact]
    public async Task Enabling_turns_the_pending_secret_on_with_its_step_and_codes_restamps_and_ends_every_other_session()
    {
        var user = await Added("alice");
        var kept = await SignedIn(user);
        var other = await SignedIn(user);
        var bystander = await Added("bob");
        var bystanderSession = await SignedIn(bystander);
        Assert.True(await Factors.SetPendingSecretAsync(user.Id, "secret"));
        var codes = NewCodes();
        var newStamp = Guid.NewGuid();

        Assert.True(await Factors.EnableAsync(user.Id, user.CredentialStamp, newStamp, "secret", 4242, codes, kept.Handle));

        var factor = await Factors.FindAsync(user.Id);
        Assert.True(factor!.Enabled);
        Assert.Equal("secret", factor.ProtectedSecret);
        Assert.Null(factor.PendingSecret);
        Assert.Equal(4242, factor.LastAcceptedStep);
        Assert.Equal(codes.Order(StringComparer.Ordinal), factor.RecoveryCodeHashes.Order(StringComparer.Ordinal));
        Assert.Equal(newStamp, await StampOf(user));
        Assert.Equal([kept.Id], await SessionIdsOf(user));
        Assert.Null(await Sessions.FindAsync(other.Id));
        Assert.NotNull(await Sessions.FindAsync(bystanderSession.Id));
    }

    [Fact]
    public async Task Enabling_changes_nothing_with_a_stale_stamp_another_pending_secret_none_or_TOTP_already_on()
    {
        var user = await Added("alice");
        var kept = await SignedIn(user);
        var other = await SignedIn(user);

        Assert.False(await Factors.EnableAsync(user.Id, user.CredentialStamp, Guid.NewGuid(), "secret", 1, NewCodes(), kept.Handle)); // no enrolment
        Assert.True(await Factors.SetPendingSecretAsync(user.Id, "secret"));
        Assert.False(await Factors.EnableAsync(user.Id, Guid.NewGuid(), Guid.NewGuid(), "secret", 1, NewCodes(), kept.Handle)); // stale stamp
        Assert.False(await Factors.EnableAsync(user.Id, user.CredentialStamp, Guid.NewGuid(), "replaced", 1, NewCodes(), kept.Handle)); // other secret
        Assert.False(await Factors.EnableAsync(Guid.NewGuid(), user.CredentialStamp, Guid.NewGuid(), "secret", 1, NewCodes(), kept.Handle)); // no account

        var factor = await Factors.FindAsync(user.Id);
        Assert.False(factor!.Enabled);
        Assert.Equal("secret", factor.PendingSecret);
        Assert.Equal(user.CredentialStamp, await StampOf(user));
        Assert.Equal(new[] { kept.Id, other.Id }.Order(StringComparer.Ordinal), await SessionIdsOf(user));

        var stamp = Guid.NewGuid();
        Assert.True(await Factors.EnableAsync(user.Id, user.CredentialStamp, stamp, "secret", 7, NewCodes(), kept.Handle));
        // Already on: the same secret and the new stamp change nothing any more.
        Assert.False(await Factors.EnableAsync(user.Id, stamp, Guid.NewGuid(), "secret", 8, NewCodes(), kept.Handle));
        Assert.Equal(stamp, await StampOf(user));
        Assert.Equal(7, (await Factors.FindAsync(user.Id))!.LastAcceptedStep);
    }

    // ---- replacing codes, disabling ----

    [Fact]
    public async Task Replacing_codes_with_a_fresh_step_sets_the_new_codes_and_step_restamps_and_ends_every_other_session()
    {
        var (user, oldCodes, kept) = await WithTotp("alice");
        var other = await SignedIn(user);
        var codes = NewCodes();
        var stamp = Guid.NewGuid();

        Assert.True(await Factors.ReplaceRecoveryCodesAsync(user.Id, user.CredentialStamp, stamp,
            SecondFactorProof.Totp(EnabledAtStep + 1), codes, kept.Handle));

        var factor = await Factors.FindAsync(user.Id);
        Assert.Equal(codes.Order(StringComparer.Ordinal), factor!.RecoveryCodeHashes.Order(StringComparer.Ordinal));
        Assert.DoesNotContain(oldCodes[0], factor.RecoveryCodeHashes);
        Assert.Equal(EnabledAtStep + 1, factor.LastAcceptedStep);
        Assert.Equal(stamp, await StampOf(user));
        Assert.Equal([kept.Id], await SessionIdsOf(user));
        Assert.Null(await Sessions.FindAsync(other.Id));
    }

    [Fact]
    public async Task Replacing_codes_with_a_recovery_code_consumes_it_and_then_it_is_refused()
    {
        var (user, oldCodes, kept) = await WithTotp("alice");
        var stamp = Guid.NewGuid();
        var codes = NewCodes();

        Assert.True(await Factors.ReplaceRecoveryCodesAsync(user.Id, user.CredentialStamp, stamp,
            SecondFactorProof.RecoveryCode(oldCodes[3]), codes, kept.Handle));
        Assert.Equal(EnabledAtStep, (await Factors.FindAsync(user.Id))!.LastAcceptedStep);

        // A new code from the new list works once, then is gone.
        Assert.True(await Factors.ReplaceRecoveryCodesAsync(user.Id, stamp, Guid.NewGuid(), SecondFactorProof.RecoveryCode(codes[0]), codes, kept.Handle));
        var stampNow = await StampOf(user);
        Assert.False(await Factors.ReplaceRecoveryCodesAsync(user.Id, stampNow, Guid.NewGuid(),
            SecondFactorProof.RecoveryCode(oldCodes[4]), NewCodes(), kept.Handle)); // an old list's code
        Assert.Equal(stampNow, await StampOf(user));
    }

    [Fact]
    public async Task A_replayed_proof_a_stale_stamp_or_TOTP_off_changes_nothing_when_replacing_codes()
    {
        var (user, codes, kept) = await WithTotp("alice");
        var other = await SignedIn(user);
        var stamp = user.CredentialStamp;

        Assert.False(await Factors.ReplaceRecoveryCodesAsync(user.Id, stamp, Guid.NewGuid(), SecondFactorProof.Totp(EnabledAtStep), NewCodes(), kept.Handle));
        Assert.False(await Factors.ReplaceRecoveryCodesAsync(user.Id, stamp, Guid.NewGuid(), SecondFactorProof.Totp(EnabledAtStep - 1), NewCodes(), kept.Handle));
        Assert.False(await Factors.ReplaceRecoveryCodesAsync(user.Id, stamp, Guid.NewGuid(), SecondFactorProof.RecoveryCode(Random32()), NewCodes(), kept.Handle));
        Assert.False(await Factors.ReplaceRecoveryCodesAsync(user.Id, stamp, Guid.NewGuid(), default, NewCodes(), kept.Handle));
        Assert.False(await Factors.ReplaceRecoveryCodesAsync(user.Id, Guid.NewGuid(), Guid.NewGuid(), SecondFactorProof.Totp(EnabledAtStep + 1), NewCodes(), kept.Handle));

        var factor = await Factors.FindAsync(user.Id);
        Assert.Equal(codes.Order(StringComparer.Ordinal), factor!.RecoveryCodeHashes.Order(StringComparer.Ordinal));
        Assert.Equal(EnabledAtStep, factor.LastAcceptedStep); // the stale-stamp call did not consume its step
        Assert.Equal(stamp, await StampOf(user));
        Assert.Equal(new[] { kept.Id, other.Id }.Order(StringComparer.Ordinal), await SessionIdsOf(user));

        var off = await Added("bob");
        var offSession = await SignedIn(off);
        Assert.True(await Factors.SetPendingSecretAsync(off.Id, "pending"));
        Assert.False(await Factors.ReplaceRecoveryCodesAsync(off.Id, off.CredentialStamp, Guid.NewGuid(), SecondFactorProof.Totp(5), NewCodes(), offSession.Handle));
        Assert.Equal(off.CredentialStamp, await StampOf(off));
        Assert.Empty((await Factors.FindAsync(off.Id))!.RecoveryCodeHashes);
    }

    [Fact]
    public async Task Disabling_deletes_the_factor_and_its_codes_restamps_and_ends_every_other_session()
    {
        var (user, codes, kept) = await WithTotp("alice");
        var other = await SignedIn(user);
        var stamp = Guid.NewGuid();

        Assert.True(await Factors.DisableAsync(user.Id, user.CredentialStamp, stamp, SecondFactorProof.RecoveryCode(codes[9]), kept.Handle));

        Assert.Null(await Factors.FindAsync(user.Id));
        Assert.Equal(stamp, await StampOf(user));
        Assert.Equal([kept.Id], await SessionIdsOf(user));
        Assert.Null(await Sessions.FindAsync(other.Id));
        // Off now: nothing left to disable, and a new enrolment can start.
        Assert.False(await Factors.DisableAsync(user.Id, stamp, Guid.NewGuid(), SecondFactorProof.Totp(EnabledAtStep + 5), kept.Handle));
        Assert.True(await Factors.SetPendingSecretAsync(user.Id, "again"));
        Assert.False((await Factors.FindAsync(user.Id))!.Enabled);
    }

    [Fact]
    public async Task A_replayed_proof_or_a_stale_stamp_changes_nothing_when_disabling()
    {
        var (user, codes, kept) = await WithTotp("alice");
        var other = await SignedIn(user);
        var stamp = user.CredentialStamp;

        Assert.False(await Factors.DisableAsync(user.Id, stamp, Guid.NewGuid(), SecondFactorProof.Totp(EnabledAtStep), kept.Handle));
        Assert.False(await Factors.DisableAsync(user.Id, stamp, Guid.NewGuid(), SecondFactorProof.Totp(EnabledAtStep - 30), kept.Handle));
        Assert.False(await Factors.DisableAsync(user.Id, stamp, Guid.NewGuid(), SecondFactorProof.RecoveryCode(codes[0].ToUpperInvariant()), kept.Handle));
        Assert.False(await Factors.DisableAsync(user.Id, Guid.NewGuid(), Guid.NewGuid(), SecondFactorProof.RecoveryCode(codes[0]), kept.Handle));

        var factor = await Factors.FindAsync(user.Id);
        Assert.True(factor!.Enabled);
        Assert.Equal(10, factor.RecoveryCodeHashes.Count);
        Assert.Equal(stamp, await StampOf(user));
        Assert.Equal(new[] { kept.Id, other.Id }.Order(StringComparer.Ordinal), await SessionIdsOf(user));
    }

    // ---- pending logins ----

    [Fact]
    public async Task A_pending_login_is_found_while_it_is_live_and_only_by_its_exact_id()
    {
        var user = await Added("alice");
        var pending = await Pending(user);

        var found = await Factors.FindPendingLoginAsync(pending.Id, T0);
        Assert.Equal(user.Id, found!.AccountId);
        Assert.Equal(user.CredentialStamp, found.CredentialStamp);
        Assert.Equal(T0, found.CreatedAt);
        Assert.Equal(pending.ExpiresAt, found.ExpiresAt);
        Assert.Equal("contract", found.UserAgent);
        Assert.Equal("127.0.0.1", found.IpAddress);

        Assert.NotNull(await Factors.FindPendingLoginAsync(pending.Id, pending.ExpiresAt.AddTicks(-1)));
        Assert.Null(await Factors.FindPendingLoginAsync(pending.Id, pending.ExpiresAt));
        Assert.Null(await Factors.FindPendingLoginAsync(pending.Id.ToUpperInvariant(), T0));
        Assert.Null(await Factors.FindPendingLoginAsync(pending.Id + "\0", T0));
        Assert.Null(await Factors.FindPendingLoginAsync(Random32(), T0));
    }

    [Fact]
    public async Task Housekeeping_deletes_expired_pending_logins_only()
    {
        var user = await Added("alice");
        var expired = await Pending(user, expires: T0);
        var live = await Pending(user, expires: T0.AddSeconds(1));

        Assert.Equal(1, await Factors.DeleteExpiredPendingLoginsAsync(T0));

        Assert.Null(await Factors.FindPendingLoginAsync(expired.Id, T0.AddSeconds(-1)));
        Assert.NotNull(await Factors.FindPendingLoginAsync(live.Id, T0));
        Assert.Equal(0, await Factors.DeleteExpiredPendingLoginsAsync(T0));
    }

    [Fact]
    public async Task Completing_a_login_consumes_the_step_and_the_pending_login_and_stores_the_session()
    {
        var (user, _, kept) = await WithTotp("alice");
        var pending = await Pending(user);
        var session = NewSession(user);

        Assert.True(await Factors.CompleteLoginAsync(pending.Id, T0, SecondFactorProof.Totp(EnabledAtStep + 1), session));

        Assert.Equal(user.Id, (await Sessions.FindAsync(session.Id))!.UserId);
        Assert.NotNull(await Sessions.FindAsync(kept.Id)); // a login ends no other session
        Assert.Null(await Factors.FindPendingLoginAsync(pending.Id, T0));
        Assert.Equal(EnabledAtStep + 1, (await Factors.FindAsync(user.Id))!.LastAcceptedStep);
        Assert.Equal(user.CredentialStamp, await StampOf(user));

        // The pending login is single use, whatever the proof.
        var again = NewSession(user);
        Assert.False(await Factors.CompleteLoginAsync(pending.Id, T0, SecondFactorProof.Totp(EnabledAtStep + 2), again));
        Assert.Null(await Sessions.FindAsync(again.Id));
    }

    [Fact]
    public async Task Completing_a_login_with_a_recovery_code_consumes_that_code_only_once()
    {
        var (user, codes, _) = await WithTotp("alice");
        var first = await Pending(user);
        var second = await Pending(user);

        Assert.True(await Factors.CompleteLoginAsync(first.Id, T0, SecondFactorProof.RecoveryCode(codes[2]), NewSession(user)));
        var factor = await Factors.FindAsync(user.Id);
        Assert.Equal(9, factor!.RecoveryCodeHashes.Count);
        Assert.DoesNotContain(codes[2], factor.RecoveryCodeHashes);
        Assert.Equal(EnabledAtStep, factor.LastAcceptedStep);

        var refused = NewSession(user);
        Assert.False(await Factors.CompleteLoginAsync(second.Id, T0, SecondFactorProof.RecoveryCode(codes[2]), refused));
        Assert.Null(await Sessions.FindAsync(refused.Id));
        Assert.NotNull(await Factors.FindPendingLoginAsync(second.Id, T0)); // nothing changed: it can still be completed
        Assert.True(await Factors.CompleteLoginAsync(second.Id, T0, SecondFactorProof.RecoveryCode(codes[3]), NewSession(user)));
    }

    [Fact]
    public async Task A_login_is_not_completed_by_a_replayed_step_nor_when_expired_restamped_or_without_TOTP_and_nothing_changes()
    {
        var (user, codes, _) = await WithTotp("alice");
        var pending = await Pending(user);

        async Task Refused(string pendingId, DateTime now, SecondFactorProof proof)
        {
            var session = NewSession(user);
            Assert.False(await Factors.CompleteLoginAsync(pendingId, now, proof, session));
            Assert.Null(await Sessions.FindAsync(session.Id));
        }

        await Refused(pending.Id, T0, SecondFactorProof.Totp(EnabledAtStep)); // same step as the one that enabled it
        await Refused(pending.Id, T0, SecondFactorProof.Totp(EnabledAtStep - 1)); // a lower one
        await Refused(pending.Id, T0, SecondFactorProof.RecoveryCode(Random32()));
        await Refused(pending.Id, T0, default);
        await Refused(pending.Id, pending.ExpiresAt, SecondFactorProof.Totp(EnabledAtStep + 1)); // expired
        await Refused(Random32(), T0, SecondFactorProof.Totp(EnabledAtStep + 1)); // no such pending login
        var stale = await Pending(user, stamp: Guid.NewGuid()); // the password changed since it was checked
        await Refused(stale.Id, T0, SecondFactorProof.Totp(EnabledAtStep + 1));

        var factor = await Factors.FindAsync(user.Id);
        Assert.Equal(EnabledAtStep, factor!.LastAcceptedStep);
        Assert.Equal(10, factor.RecoveryCodeHashes.Count);
        Assert.NotNull(await Factors.FindPendingLoginAsync(pending.Id, T0));
        Assert.NotNull(await Factors.FindPendingLoginAsync(stale.Id, T0));

        // TOTP turned off meanwhile (which also restamps): the pending login opens nothing.
        var off = await Added("bob");
        var offPending = await Pending(off);
        var offSession = NewSession(off);
        Assert.False(await Factors.CompleteLoginAsync(offPending.Id, T0, SecondFactorProof.Totp(1), offSession));
        Assert.True(await Factors.SetPendingSecretAsync(off.Id, "only-pending"));
        Assert.False(await Factors.CompleteLoginAsync(offPending.Id, T0, SecondFactorProof.Totp(1), offSession));
        Assert.Null(await Sessions.FindAsync(offSession.Id));
        Assert.True(await Factors.DisableAsync(user.Id, user.CredentialStamp, user.CredentialStamp, SecondFactorProof.RecoveryCode(codes[0]), "none"));
        await Refused(pending.Id, T0, SecondFactorProof.Totp(EnabledAtStep + 1));
    }

    [Fact]
    public async Task A_changed_stamp_kills_a_pending_login()
    {
        var (user, _, kept) = await WithTotp("alice");
        var pending = await Pending(user);
        Assert.True(await Factors.ReplaceRecoveryCodesAsync(user.Id, user.CredentialStamp, Guid.NewGuid(),
            SecondFactorProof.Totp(EnabledAtStep + 1), NewCodes(), kept.Handle));

        var session = NewSession(user);
        Assert.False(await Factors.CompleteLoginAsync(pending.Id, T0, SecondFactorProof.Totp(EnabledAtStep + 2), session));
        Assert.Null(await Sessions.FindAsync(session.Id));
    }

    [Fact]
    public async Task Deleting_an_account_deletes_its_factor_codes_and_pending_logins_and_no_other_account_s()
    {
        var (user, _, _) = await WithTotp("alice");
        var pending = await Pending(user);
        var (bob, bobCodes, _) = await WithTotp("bob");
        var bobPending = await Pending(bob);

        Assert.True(await Accounts.DeleteAccountAsync(user.Id, user.CredentialStamp));

        Assert.Null(await Factors.FindAsync(user.Id));
        Assert.Null(await Factors.FindPendingLoginAsync(pending.Id, T0));
        Assert.Empty(await Sessions.ListByAccountAsync(user.Id));
        Assert.False(await Factors.SetPendingSecretAsync(user.Id, "ghost"));
        Assert.Null(await Factors.FindAsync(user.Id));
        Assert.Equal(10, (await Factors.FindAsync(bob.Id))!.RecoveryCodeHashes.Count);
        Assert.True(await Factors.CompleteLoginAsync(bobPending.Id, T0, SecondFactorProof.RecoveryCode(bobCodes[0]), NewSession(bob)));
    }

    // ---- races ----

    [Fact]
    public async Task Fifty_logins_presenting_one_TOTP_step_at_once_open_exactly_one_session()
    {
        var (user, _, kept) = await WithTotp("alice");
        var pendings = new List<PendingLogin>();
        for (var i = 0; i < 50; i++) pendings.Add(await Pending(user));
        var sessions = pendings.Select(_ => NewSession(user)).ToArray();

        var results = await AllAtOnce(50, i => Factors.CompleteLoginAsync(pendings[i].Id, T0, SecondFactorProof.Totp(EnabledAtStep + 1), sessions[i]));

        Assert.Single(results, r => r);
        var winner = Array.IndexOf(results, true);
        Assert.Equal(new[] { kept.Id, sessions[winner].Id }.Order(StringComparer.Ordinal), await SessionIdsOf(user));
        Assert.Null(await Factors.FindPendingLoginAsync(pendings[winner].Id, T0));
        Assert.Equal(49, (await Task.WhenAll(pendings.Select(p => Factors.FindPendingLoginAsync(p.Id, T0)))).Count(p => p is not null));
    }

    [Fact]
    public async Task Fifty_logins_with_one_pending_login_and_distinct_steps_at_once_open_exactly_one_session()
    {
        var (user, _, kept) = await WithTotp("alice");
        var pending = await Pending(user);
        var sessions = Enumerable.Range(0, 50).Select(_ => NewSession(user)).ToArray();

        var results = await AllAtOnce(50, i => Factors.CompleteLoginAsync(pending.Id, T0, SecondFactorProof.Totp(EnabledAtStep + 1 + i), sessions[i]));

        Assert.Single(results, r => r);
        var winner = Array.IndexOf(results, true);
        Assert.Equal(new[] { kept.Id, sessions[winner].Id }.Order(StringComparer.Ordinal), await SessionIdsOf(user));
        Assert.Equal(EnabledAtStep + 1 + winner, (await Factors.FindAsync(user.Id))!.LastAcceptedStep);
    }

    [Fact]
    public async Task Fifty_logins_presenting_one_recovery_code_at_once_open_exactly_one_session()
    {
        var (user, codes, kept) = await WithTotp("alice");
        var pendings = new List<PendingLogin>();
        for (var i = 0; i < 50; i++) pendings.Add(await Pending(user));
        var sessions = pendings.Select(_ => NewSession(user)).ToArray();

        var results = await AllAtOnce(50, i => Factors.CompleteLoginAsync(pendings[i].Id, T0, SecondFactorProof.RecoveryCode(codes[5]), sessions[i]));

        Assert.Single(results, r => r);
        Assert.Equal(2, (await SessionIdsOf(user)).Length);
        Assert.Contains(kept.Id, await SessionIdsOf(user));
        var factor = await Factors.FindAsync(user.Id);
        Assert.Equal(9, factor!.RecoveryCodeHashes.Count);
        Assert.DoesNotContain(codes[5], factor.RecoveryCodeHashes);
    }

    [Fact]
    public async Task Fifty_code_replacements_presenting_one_step_at_once_succeed_exactly_once()
    {
        var (user, _, kept) = await WithTotp("alice");
        var lists = Enumerable.Range(0, 50).Select(_ => NewCodes()).ToArray();
        var stamps = Enumerable.Range(0, 50).Select(_ => Guid.NewGuid()).ToArray();

        var results = await AllAtOnce(50, i => Factors.ReplaceRecoveryCodesAsync(user.Id, user.CredentialStamp, stamps[i],
            SecondFactorProof.Totp(EnabledAtStep + 1), lists[i], kept.Handle));

        Assert.Single(results, r => r);
        var winner = Array.IndexOf(results, true);
        Assert.Equal(stamps[winner], await StampOf(user));
        Assert.Equal(lists[winner].Order(StringComparer.Ordinal), (await Factors.FindAsync(user.Id))!.RecoveryCodeHashes.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Fifty_confirmations_of_one_enrolment_at_once_enable_it_exactly_once()
    {
        var user = await Added("alice");
        var kept = await SignedIn(user);
        Assert.True(await Factors.SetPendingSecretAsync(user.Id, "secret"));
        var lists = Enumerable.Range(0, 50).Select(_ => NewCodes()).ToArray();
        var stamps = Enumerable.Range(0, 50).Select(_ => Guid.NewGuid()).ToArray();

        var results = await AllAtOnce(50, i => Factors.EnableAsync(user.Id, user.CredentialStamp, stamps[i], "secret", 10 + i, lists[i], kept.Handle));

        Assert.Single(results, r => r);
        var winner = Array.IndexOf(results, true);
        var factor = await Factors.FindAsync(user.Id);
        Assert.Equal(10 + winner, factor!.LastAcceptedStep);
        Assert.Equal(lists[winner].Order(StringComparer.Ordinal), factor.RecoveryCodeHashes.Order(StringComparer.Ordinal));
        Assert.Equal(stamps[winner], await StampOf(user));
    }

    [Fact]
    public async Task A_disable_racing_logins_leaves_no_session_opened_by_the_second_factor()
    {
        // Twenty accounts, each disabling while a login with a fresh step completes: whichever commits first, no
        // session opened by the code outlives the disable (it was refused, or it was ended by the disable).
        var accounts = new List<(User User, string[] Codes, Session Kept, PendingLogin Pending, Session Login)>();
        for (var i = 0; i < 20; i++)
        {
            var (user, codes, kept) = await WithTotp("user" + i);
            accounts.Add((user, codes, kept, await Pending(user), NewSession(user)));
        }

        var results = await AllAtOnce(40, i =>
        {
            var a = accounts[i / 2];
            return i % 2 == 0
                ? Factors.DisableAsync(a.User.Id, a.User.CredentialStamp, Guid.NewGuid(), SecondFactorProof.RecoveryCode(a.Codes[0]), a.Kept.Handle)
                : Factors.CompleteLoginAsync(a.Pending.Id, T0, SecondFactorProof.Totp(EnabledAtStep + 1), a.Login);
        });

        for (var i = 0; i < 20; i++)
        {
            var a = accounts[i];
            Assert.True(results[2 * i]); // a login neither consumes the recovery code nor changes the stamp
            Assert.Null(await Factors.FindAsync(a.User.Id));
            Assert.Equal([a.Kept.Id], await SessionIdsOf(a.User));
            Assert.Null(await Sessions.FindAsync(a.Login.Id));
        }
    }
}
