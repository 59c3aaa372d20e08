using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using SliceAuth.Data;

namespace SliceAuth.Tests.Storage.Contract;

/// <summary>
/// What every storage provider promises the passkey flows (<see cref="IPasskeyStore"/>), run unchanged against each
/// engine: a credential id belongs to one passkey across all accounts, compared byte by byte; a challenge is taken
/// once, only for its ceremony and while it is live; a counter only moves forward; an account takes its passkeys
/// and challenges with it. The races are real concurrent calls: exactly one of them may win.
/// </summary>
public abstract class PasskeyStoreContract : IDisposable
{
    private static readonly DateTime T0 = new(2026, 12, 7, 12, 0, 0, DateTimeKind.Utc);
    private static readonly TimeSpan FiveMinutes = TimeSpan.FromMinutes(5);
    private const int Contenders = 50;

    private readonly ServiceProvider _services;

    protected PasskeyStoreContract()
    {
        var services = new ServiceCollection().AddLogging();
        AddStorage(services);
        _services = services.BuildServiceProvider();
        Accounts = _services.GetRequiredService<IAccountStore>();
        Passkeys = _services.GetRequiredService<IPasskeyStore>();
    }

    /// <summary>Registers the provider under test, on storage of its own that is empty.</summary>
    protected abstract void AddStorage(IServiceCollection services);

    protected IAccountStore Accounts { get; }

    protected IPasskeyStore Passkeys { get; }

    public virtual void Dispose()
    {
        _services.Dispose();
        GC.SuppressFinalize(this);
    }

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

    private static Passkey NewPasskey(User owner, byte[]? credentialId = null, uint signCount = 0, string name = "laptop", DateTime? createdAt = null) => new()
    {
        Id = Guid.NewGuid(),
        AccountId = owner.Id,
        CredentialId = credentialId ?? RandomNumberGenerator.GetBytes(32),
        PublicKey = RandomNumberGenerator.GetBytes(77),
        SignCount = signCount,
        Name = name,
        CreatedAt = createdAt ?? T0,
    };

    private async Task<Passkey> Registered(User owner, byte[]? credentialId = null, uint signCount = 0, string name = "laptop", DateTime? createdAt = null)
    {
        var passkey = NewPasskey(owner, credentialId, signCount, name, createdAt);
        Assert.True(await Passkeys.TryAddAsync(passkey));
        return passkey;
    }

    private static WebAuthnChallenge NewChallenge(WebAuthnCeremony ceremony, User? owner = null, DateTime? expires = null, string? challenge = null) => new()
    {
        Challenge = challenge ?? Base64Url(RandomNumberGenerator.GetBytes(32)),
        Ceremony = ceremony,
        AccountId = owner?.Id,
        OptionsJson = $$$"""{"challenge":"{{{Guid.NewGuid():N}}}","rp":{"id":"localhost"}}""",
        CreatedAt = T0,
        ExpiresAt = expires ?? T0 + FiveMinutes,
    };

    private async Task<WebAuthnChallenge> Issued(WebAuthnCeremony ceremony, User? owner = null, DateTime? expires = null, string? challenge = null)
    {
        var issued = NewChallenge(ceremony, owner, expires, challenge);
        await Passkeys.AddChallengeAsync(issued);
        return issued;
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static void AssertSame(Passkey expected, Passkey? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.Id, actual.Id);
        Assert.Equal(expected.AccountId, actual.AccountId);
        Assert.Equal(expected.CredentialId, actual.CredentialId);
        Assert.Equal(expected.PublicKey, actual.PublicKey);
        Assert.Equal(expected.SignCount, actual.SignCount);
        Assert.Equal(expected.Name, actual.Name);
        Assert.Equal(expected.CreatedAt, actual.CreatedAt);
        Assert.Equal(expected.LastUsedAt, actual.LastUsedAt);
    }

    /// <summary>
    /// Runs <paramref name="count"/> calls released at once on the thread pool, after as many reads at once: an
    /// engine with a connection pool has its connections open, so the calls overlap instead of queueing on opening.
    /// </summary>
    private async Task<T[]> AllAtOnce<T>(int count, Func<int, Task<T>> call)
    {
        await Race(count, _ => Passkeys.FindByCredentialIdAsync(RandomNumberGenerator.GetBytes(16)));
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

    [Fact]
    public async Task A_passkey_round_trips_and_is_listed_with_its_account_oldest_first()
    {
        var alice = await Added("alice");
        var bob = await Added("bob");
        var phone = await Registered(alice, name: "phone", signCount: uint.MaxValue - 1, createdAt: T0.AddMinutes(2));
        var laptop = await Registered(alice, name: "laptop", createdAt: T0.AddMinutes(1));
        var bobs = await Registered(bob);

        AssertSame(phone, await Passkeys.FindByCredentialIdAsync(phone.CredentialId));
        var list = await Passkeys.ListByAccountAsync(alice.Id);
        Assert.Equal([laptop.Id, phone.Id], list.Select(p => p.Id));
        AssertSame(laptop, list[0]);
        Assert.Equal([bobs.Id], (await Passkeys.ListByAccountAsync(bob.Id)).Select(p => p.Id));
        Assert.Empty(await Passkeys.ListByAccountAsync(Guid.NewGuid()));
    }

    [Fact]
    public async Task A_credential_id_is_registered_once_across_all_accounts()
    {
        var alice = await Added("alice");
        var mallory = await Added("mallory");
        var first = await Registered(alice);

        var again = NewPasskey(mallory, (byte[])first.CredentialId.Clone());
        Assert.False(await Passkeys.TryAddAsync(again));
        Assert.False(await Passkeys.TryAddAsync(NewPasskey(alice, (byte[])first.CredentialId.Clone())));

        Assert.Empty(await Passkeys.ListByAccountAsync(mallory.Id));
        Assert.Single(await Passkeys.ListByAccountAsync(alice.Id));
        AssertSame(first, await Passkeys.FindByCredentialIdAsync(first.CredentialId));
    }

    [Fact]
    public async Task Credential_ids_compare_byte_by_byte()
    {
        var alice = await Added("alice");
        byte[] id = [0x41, 0x62, 0x63, 0x00];
        var exact = await Registered(alice, id);
        // A trailing zero, another case of an ASCII letter, a prefix: each a different credential.
        var shorter = await Registered(alice, [0x41, 0x62, 0x63]);
        var otherCase = await Registered(alice, [0x61, 0x62, 0x63, 0x00]);
        var longer = await Registered(alice, [0x41, 0x62, 0x63, 0x00, 0x00]);

        AssertSame(exact, await Passkeys.FindByCredentialIdAsync([0x41, 0x62, 0x63, 0x00]));
        AssertSame(shorter, await Passkeys.FindByCredentialIdAsync([0x41, 0x62, 0x63]));
        AssertSame(otherCase, await Passkeys.FindByCredentialIdAsync([0x61, 0x62, 0x63, 0x00]));
        AssertSame(longer, await Passkeys.FindByCredentialIdAsync([0x41, 0x62, 0x63, 0x00, 0x00]));
        Assert.Null(await Passkeys.FindByCredentialIdAsync([0x41, 0x62]));
        Assert.Null(await Passkeys.FindByCredentialIdAsync([]));
    }

    [Fact]
    public async Task A_credential_id_of_1023_bytes_is_stored_and_found()
    {
        var alice = await Added("alice");
        var longId = RandomNumberGenerator.GetBytes(1023);
        var passkey = await Registered(alice, longId);

        AssertSame(passkey, await Passkeys.FindByCredentialIdAsync((byte[])longId.Clone()));
        Assert.False(await Passkeys.TryAddAsync(NewPasskey(alice, (byte[])longId.Clone())));
    }

    [Fact]
    public async Task A_passkey_for_an_account_that_is_gone_is_not_stored()
    {
        var gone = await Added("gone");
        Assert.True(await Accounts.DeleteAccountAsync(gone.Id, gone.CredentialStamp));
        var passkey = NewPasskey(gone);

        Assert.False(await Passkeys.TryAddAsync(passkey));
        Assert.Null(await Passkeys.FindByCredentialIdAsync(passkey.CredentialId));
    }

    [Fact]
    public async Task A_passkey_is_deleted_only_by_its_own_account()
    {
        var alice = await Added("alice");
        var mallory = await Added("mallory");
        var passkey = await Registered(alice);

        Assert.False(await Passkeys.DeleteAsync(mallory.Id, passkey.Id));
        Assert.False(await Passkeys.DeleteAsync(alice.Id, Guid.NewGuid()));
        AssertSame(passkey, await Passkeys.FindByCredentialIdAsync(passkey.CredentialId));

        Assert.True(await Passkeys.DeleteAsync(alice.Id, passkey.Id));
        Assert.False(await Passkeys.DeleteAsync(alice.Id, passkey.Id));
        Assert.Null(await Passkeys.FindByCredentialIdAsync(passkey.CredentialId));
        Assert.Empty(await Passkeys.ListByAccountAsync(alice.Id));
    }

    [Fact]
    public async Task The_counter_moves_only_forward_and_records_the_use()
    {
        var alice = await Added("alice");
        var passkey = await Registered(alice, signCount: 5);
        var used = T0.AddMinutes(1);

        Assert.True(await Passkeys.TryRecordUseAsync(passkey.Id, 6, used));
        var after = await Passkeys.FindByCredentialIdAsync(passkey.CredentialId);
        Assert.Equal(6u, after!.SignCount);
        Assert.Equal(used, after.LastUsedAt);

        // Equal, backwards, and zero (a cloned authenticator, or one that reset): refused, nothing changed.
        Assert.False(await Passkeys.TryRecordUseAsync(passkey.Id, 6, T0.AddMinutes(2)));
        Assert.False(await Passkeys.TryRecordUseAsync(passkey.Id, 3, T0.AddMinutes(2)));
        Assert.False(await Passkeys.TryRecordUseAsync(passkey.Id, 0, T0.AddMinutes(2)));
        after = await Passkeys.FindByCredentialIdAsync(passkey.CredentialId);
        Assert.Equal(6u, after!.SignCount);
        Assert.Equal(used, after.LastUsedAt);

        Assert.True(await Passkeys.TryRecordUseAsync(passkey.Id, uint.MaxValue, T0.AddMinutes(3)));
        Assert.Equal(uint.MaxValue, (await Passkeys.FindByCredentialIdAsync(passkey.CredentialId))!.SignCount);
        Assert.False(await Passkeys.TryRecordUseAsync(Guid.NewGuid(), 10, T0));
    }

    [Fact]
    public async Task An_authenticator_without_a_counter_stays_at_zero_and_may_sign_in_again()
    {
        var alice = await Added("alice");
        var passkey = await Registered(alice, signCount: 0);

        Assert.True(await Passkeys.TryRecordUseAsync(passkey.Id, 0, T0.AddMinutes(1)));
        Assert.True(await Passkeys.TryRecordUseAsync(passkey.Id, 0, T0.AddMinutes(2)));
        var after = await Passkeys.FindByCredentialIdAsync(passkey.CredentialId);
        Assert.Equal(0u, after!.SignCount);
        Assert.Equal(T0.AddMinutes(2), after.LastUsedAt);

        // Once it counted, zero is backwards.
        Assert.True(await Passkeys.TryRecordUseAsync(passkey.Id, 1, T0.AddMinutes(3)));
        Assert.False(await Passkeys.TryRecordUseAsync(passkey.Id, 0, T0.AddMinutes(4)));
    }

    [Fact]
    public async Task A_challenge_is_taken_once_with_everything_it_was_issued_with()
    {
        var alice = await Added("alice");
        var issued = await Issued(WebAuthnCeremony.Registration, alice);

        var taken = await Passkeys.TakeChallengeAsync(issued.Challenge, WebAuthnCeremony.Registration, T0.AddMinutes(1));
        Assert.NotNull(taken);
        Assert.Equal(issued.Challenge, taken.Challenge);
        Assert.Equal(WebAuthnCeremony.Registration, taken.Ceremony);
        Assert.Equal(alice.Id, taken.AccountId);
        Assert.Equal(issued.OptionsJson, taken.OptionsJson);
        Assert.Equal(issued.CreatedAt, taken.CreatedAt);
        Assert.Equal(issued.ExpiresAt, taken.ExpiresAt);

        Assert.Null(await Passkeys.TakeChallengeAsync(issued.Challenge, WebAuthnCeremony.Registration, T0.AddMinutes(1)));

        var login = await Issued(WebAuthnCeremony.Login);
        Assert.Null((await Passkeys.TakeChallengeAsync(login.Challenge, WebAuthnCeremony.Login, T0))!.AccountId);
    }

    [Fact]
    public async Task A_challenge_is_not_taken_for_another_ceremony_and_stays_for_its_own()
    {
        var alice = await Added("alice");
        var registration = await Issued(WebAuthnCeremony.Registration, alice);
        var login = await Issued(WebAuthnCeremony.Login);

        Assert.Null(await Passkeys.TakeChallengeAsync(registration.Challenge, WebAuthnCeremony.Login, T0));
        Assert.Null(await Passkeys.TakeChallengeAsync(login.Challenge, WebAuthnCeremony.Registration, T0));

        Assert.NotNull(await Passkeys.TakeChallengeAsync(registration.Challenge, WebAuthnCeremony.Registration, T0));
        Assert.NotNull(await Passkeys.TakeChallengeAsync(login.Challenge, WebAuthnCeremony.Login, T0));
    }

    [Fact]
    public async Task An_expired_challenge_is_not_taken_and_housekeeping_deletes_only_expired_ones()
    {
        var expiring = await Issued(WebAuthnCeremony.Login, expires: T0 + FiveMinutes);
        var later = await Issued(WebAuthnCeremony.Login, expires: T0 + FiveMinutes + TimeSpan.FromSeconds(1));

        Assert.Null(await Passkeys.TakeChallengeAsync(expiring.Challenge, WebAuthnCeremony.Login, T0 + FiveMinutes));
        Assert.Equal(1, await Passkeys.DeleteExpiredChallengesAsync(T0 + FiveMinutes));
        Assert.Equal(0, await Passkeys.DeleteExpiredChallengesAsync(T0 + FiveMinutes));
        // Deleted, not just refused: it is not taken even at a time it was live.
        Assert.Null(await Passkeys.TakeChallengeAsync(expiring.Challenge, WebAuthnCeremony.Login, T0));
        Assert.NotNull(await Passkeys.TakeChallengeAsync(later.Challenge, WebAuthnCeremony.Login, T0 + FiveMinutes));
    }

    [Fact]
    public async Task Challenges_are_found_only_exactly_not_with_a_NUL_or_another_case()
    {
        var lower = await Issued(WebAuthnCeremony.Login, challenge: "abcdefghijklmnopqrstuvwxyz0123456789-_ABCDE");
        var upper = await Issued(WebAuthnCeremony.Login, challenge: "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_abcde");

        Assert.Null(await Passkeys.TakeChallengeAsync(lower.Challenge + "\0", WebAuthnCeremony.Login, T0));
        Assert.Null(await Passkeys.TakeChallengeAsync(lower.Challenge[..^1], WebAuthnCeremony.Login, T0));
        Assert.Null(await Passkeys.TakeChallengeAsync("abcdefghijklmnopqrstuvwxyz0123456789-_ABCDe", WebAuthnCeremony.Login, T0));
        Assert.Equal(upper.OptionsJson, (await Passkeys.TakeChallengeAsync(upper.Challenge, WebAuthnCeremony.Login, T0))!.OptionsJson);
        Assert.Equal(lower.OptionsJson, (await Passkeys.TakeChallengeAsync(lower.Challenge, WebAuthnCeremony.Login, T0))!.OptionsJson);
    }

    [Fact]
    public async Task Deleting_an_account_deletes_its_passkeys_and_registration_challenges_and_nothing_else()
    {
        var alice = await Added("alice");
        var bob = await Added("bob");
        var alices = await Registered(alice);
        var bobs = await Registered(bob);
        var alicesChallenge = await Issued(WebAuthnCeremony.Registration, alice);
        var bobsChallenge = await Issued(WebAuthnCeremony.Registration, bob);
        var login = await Issued(WebAuthnCeremony.Login);

        Assert.True(await Accounts.DeleteAccountAsync(alice.Id, alice.CredentialStamp));

        Assert.Null(await Passkeys.FindByCredentialIdAsync(alices.CredentialId));
        Assert.Empty(await Passkeys.ListByAccountAsync(alice.Id));
        Assert.Null(await Passkeys.TakeChallengeAsync(alicesChallenge.Challenge, WebAuthnCeremony.Registration, T0));
        AssertSame(bobs, await Passkeys.FindByCredentialIdAsync(bobs.CredentialId));
        Assert.NotNull(await Passkeys.TakeChallengeAsync(bobsChallenge.Challenge, WebAuthnCeremony.Registration, T0));
        Assert.NotNull(await Passkeys.TakeChallengeAsync(login.Challenge, WebAuthnCeremony.Login, T0));
        // Gone, not hidden: the credential id is free again.
        Assert.True(await Passkeys.TryAddAsync(NewPasskey(bob, alices.CredentialId)));
    }

    [Fact]
    public async Task Of_concurrent_takes_of_one_challenge_exactly_one_gets_it()
    {
        var alice = await Added("alice");
        var issued = await Issued(WebAuthnCeremony.Registration, alice);

        var taken = await AllAtOnce(Contenders, _ => Passkeys.TakeChallengeAsync(issued.Challenge, WebAuthnCeremony.Registration, T0));

        Assert.Equal(Contenders, taken.Length);
        Assert.Equal(issued.OptionsJson, Assert.Single(taken, t => t is not null)!.OptionsJson);
    }

    [Fact]
    public async Task Of_concurrent_uses_with_the_same_new_count_exactly_one_is_recorded()
    {
        var alice = await Added("alice");
        var passkey = await Registered(alice, signCount: 7);

        var recorded = await AllAtOnce(Contenders, i => Passkeys.TryRecordUseAsync(passkey.Id, 8, T0.AddSeconds(i)));

        Assert.Single(recorded, r => r);
        var index = Array.IndexOf(recorded, true);
        var after = await Passkeys.FindByCredentialIdAsync(passkey.CredentialId);
        Assert.Equal(8u, after!.SignCount);
        Assert.Equal(T0.AddSeconds(index), after.LastUsedAt); // the winner's use, not a loser's
    }

    [Fact]
    public async Task Of_concurrent_registrations_of_one_credential_id_exactly_one_is_stored()
    {
        var owners = new List<User>();
        for (var i = 0; i < 5; i++) owners.Add(await Added($"owner{i}"));
        var credentialId = RandomNumberGenerator.GetBytes(32);
        var contenders = Enumerable.Range(0, Contenders).Select(i => NewPasskey(owners[i % owners.Count], (byte[])credentialId.Clone())).ToList();

        var added = await AllAtOnce(Contenders, i => Passkeys.TryAddAsync(contenders[i]));

        Assert.Single(added, a => a);
        var winner = contenders[Array.IndexOf(added, true)];
        AssertSame(winner, await Passkeys.FindByCredentialIdAsync(credentialId));
        var stored = new List<Passkey>();
        foreach (var owner in owners) stored.AddRange(await Passkeys.ListByAccountAsync(owner.Id));
        Assert.Equal([winner.Id], stored.Select(p => p.Id));
    }
}
