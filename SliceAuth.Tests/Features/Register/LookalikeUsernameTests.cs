using SliceAuth.Data.LiteDb;
using System.Net;
using SliceAuth.Data;
using SliceAuth.Tests.Infrastructure;

namespace SliceAuth.Tests.Features.Register;

/// <summary>
/// Usernames that look the same are the same (Unicode UTS #39): a name whose confusable skeleton (of its case
/// folding) is taken gets the 409 of a taken name, and names that mix scripts beyond Highly Restrictive are
/// refused. Names written in one script keep working.
/// </summary>
public sealed class LookalikeUsernameTests : AppTest
{
    [Theory]
    [InlineData("admın")]   // LATIN SMALL LETTER DOTLESS I
    [InlineData("ɑdmin")]   // LATIN SMALL LETTER ALPHA
    [InlineData("adrnin")]  // r n looks like m
    public async Task A_single_script_lookalike_of_a_taken_name_gets_the_409_of_a_taken_name(string lookalike)
    {
        (await Client.Register("admin")).EnsureSuccessStatusCode();
        var taken = await (await Client.Register("ADMIN")).Problem(HttpStatusCode.Conflict);

        var problem = await (await Client.Register(lookalike)).Problem(HttpStatusCode.Conflict);

        Assert.Equal(taken.GetProperty("title").GetString(), problem.GetProperty("title").GetString());
        Assert.Equal(taken.GetProperty("detail").GetString(), problem.GetProperty("detail").GetString());
        Assert.Equal(1, App.StoredUserCount());
    }

    [Fact]
    public async Task A_whole_script_lookalike_is_the_same_name() // all Cyrillic: ѕ с о р е
    {
        (await Client.Register("scope")).EnsureSuccessStatusCode();

        await (await Client.Register("ѕсоре")).Problem(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task The_lookalike_registered_first_blocks_the_plain_name_too()
    {
        (await Client.Register("ɑdmin")).EnsureSuccessStatusCode();

        await (await Client.Register("admin")).Problem(HttpStatusCode.Conflict);
    }

    [Theory]
    [InlineData("аdmin")]      // CYRILLIC SMALL LETTER A + Latin
    [InlineData("ΑDΜΙΝ")]      // Greek capitals + LATIN CAPITAL LETTER D
    [InlineData("pаypal")]     // Cyrillic а inside Latin
    [InlineData("abcΩ")]       // Latin + Greek
    [InlineData("東京tokyoа")]  // Han + Latin is fine, + Cyrillic is not
    public async Task Mixed_script_names_are_refused_with_400_on_username(string username)
    {
        var problem = await (await Client.Register(username)).Problem(HttpStatusCode.BadRequest);

        Assert.Contains(problem.FieldErrors("username"), m => m.Contains("one script"));
        Assert.Equal(0, App.StoredUserCount());
    }

    [Fact]
    public async Task Mixed_script_names_are_refused_even_when_no_lookalike_exists()
    {
        await (await Client.Register("аdmin")).Problem(HttpStatusCode.BadRequest); // nothing registered yet
    }

    [Theory]
    [InlineData("abc١")]                 // ARABIC-INDIC DIGIT ONE among Latin letters: mixes scripts
    public async Task Digits_of_another_script_are_refused(string username)
    {
        await (await Client.Register(username)).Problem(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_repeated_combining_mark_is_refused()
    {
        var problem = await (await Client.Register("jose\u0301\u0301")).Problem(HttpStatusCode.BadRequest);

        Assert.NotEmpty(problem.FieldErrors("username"));
    }

    [Theory]
    [InlineData("José")]
    [InlineData("Straße")]
    [InlineData("山田太郎")]
    [InlineData("देवनागरी")]       // Devanagari with its vowel signs
    [InlineData("名前テスト")]      // Han + Katakana (Japanese)
    [InlineData("Tokyo東京")]       // Latin + Han
    [InlineData("서울Seoul")]       // Hangul + Latin (Korean)
    [InlineData("ПАВЕЛ")]           // Cyrillic alone
    [InlineData("Ελένη")]           // Greek alone
    [InlineData("İstanbul")]        // Turkish capital dotted I
    [InlineData("user_1.x-y")]
    public async Task Names_in_one_script_register_and_log_in(string username)
    {
        Assert.Equal(HttpStatusCode.Created, (await Client.Register(username)).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await Client.Login(username)).StatusCode);
    }

    [Fact]
    public async Task A_name_and_its_case_variant_stay_one_account()
    {
        (await Client.Register("Ünal")).EnsureSuccessStatusCode();

        await (await Client.Register("ünal")).Problem(HttpStatusCode.Conflict);
        Assert.Equal(HttpStatusCode.OK, (await Client.Login("ÜNAL")).StatusCode);
    }

    [Fact]
    public async Task Logging_in_with_a_lookalike_of_the_name_does_not_work()
    {
        (await Client.Register("admin")).EnsureSuccessStatusCode();

        await (await Client.Login("ɑdmin")).Problem(HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.OK, (await Client.Login("Admin")).StatusCode);
    }

    [Fact]
    public async Task Simultaneous_registrations_of_lookalikes_give_exactly_one_account()
    {
        // 20 different names (even case-folded) with one skeleton: m or rn, a or ɑ (Latin alpha), i or ı (dotless i).
        var names = (from m1 in new[] { "m", "rn" }
                     from a in new[] { "a", "ɑ" }
                     from m2 in new[] { "m", "rn" }
                     from i in new[] { "i", "ı" }
                     from m3 in new[] { "m", "rn" }
                     select m1 + a + m2 + i + m3).Take(20).ToArray();
        Assert.Equal(20, names.Length);

        var statuses = (await Task.WhenAll(names.Select((name, k) => Client.Register(name, $"racer{k}@example.com"))))
            .Select(r => r.StatusCode).ToList();

        Assert.Single(statuses, s => s == HttpStatusCode.Created);
        Assert.All(statuses.Where(s => s != HttpStatusCode.Created), s => Assert.Equal(HttpStatusCode.Conflict, s));
        Assert.Equal(1, App.StoredUserCount());
    }
}
