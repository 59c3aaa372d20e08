using SliceAuth.Features.Register;

namespace SliceAuth.Tests.Features.Register;

/// <summary>The rules alone, where a table says more than HTTP round trips.</summary>
public sealed class ValidatorTests
{
    private readonly Validator _validator = new();

    [Theory]
    [InlineData("  abc  ", true)]    // surrounding whitespace is trimmed before counting
    [InlineData(" ab ", false)]
    [InlineData("ﬀﬀ", true)]         // two ligatures, but NFKC makes them "ffff": four letters
    [InlineData("a\tb", false)]
    [InlineData("a.b", true)]
    public void Username_rules_apply_after_trimming_and_NFKC(string username, bool valid)
    {
        var result = _validator.Validate(new Request { Username = username, Email = "a@example.com", Password = "long enough password" });

        Assert.Equal(valid, result.Errors.All(e => !e.PropertyName.Equals("username", StringComparison.OrdinalIgnoreCase)));
    }
}
