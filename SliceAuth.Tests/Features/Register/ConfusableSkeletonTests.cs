using SliceAuth.Accounts;

namespace SliceAuth.Tests.Features.Register;

/// <summary>
/// A pinned sample of UTS #39 skeletons of case-folded names, as ICU 72 (Unicode 15.0 confusables.txt) computes
/// them. A different ICU on the machine may change a value: the test then says which, before a user does.
/// </summary>
public sealed class ConfusableSkeletonTests
{
    private static string LookalikeKey(string name) => Confusables.Instance.Skeleton(Usernames.Key(name));

    [Fact]
    public void The_data_comes_from_a_known_ICU_and_Unicode_version()
    {
        Assert.Matches(@"^\d+\.\d+$", Confusables.Instance.IcuVersion);
        Assert.Matches(@"^\d+\.\d+$", Confusables.Instance.UnicodeVersion);
        Assert.True(Version.Parse(Confusables.Instance.UnicodeVersion) >= new Version(15, 0));
    }

    [Theory]
    [InlineData("admin", "adrnin")]      // m -> rn: confusables.txt maps the single letter m to "rn"
    [InlineData("аdmin", "adrnin")]      // CYRILLIC SMALL LETTER A -> a
    [InlineData("admın", "adrnin")]      // LATIN SMALL LETTER DOTLESS I -> i
    [InlineData("ɑdmin", "adrnin")]      // LATIN SMALL LETTER ALPHA -> a
    [InlineData("ΑDΜΙΝ", "adμiv")]       // folded first: α -> a, ι -> i, but μ stays and ν -> v: not "admin"
    [InlineData("m", "rn")]
    [InlineData("rn", "rn")]
    [InlineData("ѕсоре", "scope")]       // all Cyrillic, a whole-script lookalike
    [InlineData("paypal", "paypal")]
    [InlineData("paypaI", "paypai")]     // folded first: I becomes i, which is not confusable with l
    [InlineData("l1I", "lli")]           // 1 -> l; I folds to i
    [InlineData("0O", "Oo")]             // digit zero -> O; capital O folds to o
    [InlineData("Ü", "u\u0308")]         // the skeleton is decomposed (NFD)
    [InlineData("José", "jose\u0301")]
    [InlineData("Straße", "strasse")]
    [InlineData("山田太郎", "山田太郎")]
    [InlineData("देवनागरी", "देवनागरी")]
    public void Skeletons_of_case_folded_names(string name, string skeleton) =>
        Assert.Equal(skeleton, LookalikeKey(name));

    [Theory]
    [InlineData("admin", "ADMIN")]
    [InlineData("Ü", "ü")]
    [InlineData("modern", "modem")]
    public void Lookalikes_share_a_skeleton(string a, string b) => Assert.Equal(LookalikeKey(a), LookalikeKey(b));

    [Theory]
    [InlineData("paypal", "paypaI")] // after case folding these differ: see the pinned values above
    [InlineData("admin", "ΑDΜΙΝ")]   // refused anyway, as mixed-script
    [InlineData("u", "ü")]
    public void Different_looking_names_differ(string a, string b) => Assert.NotEqual(LookalikeKey(a), LookalikeKey(b));
}
