using System.Net;
using SliceAuth.Tests.Infrastructure;

namespace SliceAuth.Tests.Features.Register;

public sealed class RegisterTests : AppTest
{
    [Fact]
    public async Task Valid_registration_gets_201_with_the_account_and_no_secret()
    {
        var response = await Client.Register("  Zoë.M-1 ", " Zoe@Example.com ");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        var body = await response.Json();
        Assert.True(Guid.TryParse(body.GetProperty("id").GetString(), out _));
        Assert.Equal("Zoë.M-1", body.GetProperty("username").GetString()); // trimmed, as typed
        Assert.Equal("Zoe@Example.com", body.GetProperty("email").GetString());
        Assert.True(body.GetProperty("createdAt").GetDateTimeOffset() > DateTimeOffset.MinValue);
        Assert.Equal(4, body.EnumerateObject().Count());
        Assert.DoesNotContain(Api.Password, text);
        Assert.DoesNotContain("$2", text); // no bcrypt hash
        Assert.False(response.Headers.Contains("Set-Cookie")); // registering does not log in
    }

    [Fact]
    public async Task Username_taken_in_another_case_gets_409()
    {
        (await Client.Register("Mueller")).EnsureSuccessStatusCode();

        await (await Client.Register("mUELLER")).Problem(HttpStatusCode.Conflict);
    }

    [Theory]
    [InlineData("Über", "über")]       // Unicode case, composed
    [InlineData("Über", "u\u0308ber")] // decomposed ü normalises to the same name
    [InlineData("Straße", "STRASSE")] // full case folding: ß folds to ss
    [InlineData("ＡＢＣ", "abc")]       // NFKC folds full-width letters
    [InlineData("ΣΊΣΥΦΟΣ", "σίσυφος")] // final sigma folds to sigma
    public async Task Names_equal_under_Unicode_case_folding_are_the_same_account(string first, string second)
    {
        (await Client.Register(first)).EnsureSuccessStatusCode();

        await (await Client.Register(second)).Problem(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Username_and_email_conflicts_get_the_same_409_body()
    {
        (await Client.Register("taken", "taken@example.com")).EnsureSuccessStatusCode();

        var nameTaken = await (await Client.Register("TAKEN", "other@example.com")).Problem(HttpStatusCode.Conflict);
        var emailTaken = await (await Client.Register("other", "TAKEN@example.COM")).Problem(HttpStatusCode.Conflict);

        Assert.Equal(nameTaken.GetProperty("title").GetString(), emailTaken.GetProperty("title").GetString());
        Assert.Equal(nameTaken.GetProperty("detail").GetString(), emailTaken.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Simultaneous_registrations_of_one_name_give_exactly_one_account()
    {
        var attempts = Enumerable.Range(0, 24).Select(i =>
            Client.Register(i % 2 == 0 ? "racer" : "RACER", $"racer{i}@example.com"));

        var statuses = (await Task.WhenAll(attempts)).Select(r => r.StatusCode).ToList();

        Assert.Single(statuses, s => s == HttpStatusCode.Created);
        Assert.All(statuses.Where(s => s != HttpStatusCode.Created), s => Assert.Equal(HttpStatusCode.Conflict, s));
    }

    [Theory]
    [InlineData("ab")]                                   // too short
    [InlineData("a23456789012345678901234567890123")]    // 33: too long
    [InlineData("has space")]
    [InlineData("emoji😀")]
    [InlineData("semi;colon")]
    [InlineData("at@sign")]
    [InlineData("   ")]
    [InlineData("\u0301abc")]                            // a lone combining mark cannot start a name
    public async Task Invalid_usernames_get_400_on_username(string username)
    {
        var problem = await (await Client.Register(username)).Problem(HttpStatusCode.BadRequest);

        Assert.NotEmpty(problem.FieldErrors("username"));
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("a23456789012345678901234567890ab")] // 32
    [InlineData("名前テスト")]
    [InlineData("नमस्ते")]                            // Devanagari with vowel signs (marks)
    [InlineData("user.name_1-x")]
    public async Task Usernames_of_any_script_within_limits_are_accepted(string username)
    {
        Assert.Equal(HttpStatusCode.Created, (await Client.Register(username)).StatusCode);
    }

    [Theory]
    [InlineData("not-an-email")]
    [InlineData("a@b")]
    [InlineData("two@@example.com")]
    [InlineData("Name <a@example.com>")]
    [InlineData("")]
    public async Task Invalid_emails_get_400_on_email(string email)
    {
        var problem = await (await Client.Register("someone", email)).Problem(HttpStatusCode.BadRequest);

        Assert.NotEmpty(problem.FieldErrors("email"));
    }

    [Fact]
    public async Task An_email_over_254_characters_gets_400()
    {
        var email = new string('a', 64) + "@" + string.Join('.', Enumerable.Repeat(new string('b', 60), 4)) + ".com";
        Assert.True(email.Length > 254);

        var problem = await (await Client.Register("someone", email)).Problem(HttpStatusCode.BadRequest);

        Assert.NotEmpty(problem.FieldErrors("email"));
    }

    [Theory]
    [InlineData("elevenchars")]
    [InlineData("")]
    public async Task Passwords_under_12_characters_get_400_on_password(string password)
    {
        var problem = await (await Client.Register("someone", password: password)).Problem(HttpStatusCode.BadRequest);

        Assert.NotEmpty(problem.FieldErrors("password"));
    }

    [Fact]
    public async Task Runs_of_spaces_count_as_one_character_towards_the_minimum()
    {
        await (await Client.Register("spacey1", password: "ab" + new string(' ', 10))).Problem(HttpStatusCode.BadRequest);
        await (await Client.Register("spacey2", password: "open    sesame")).Problem(HttpStatusCode.BadRequest); // 11 once collapsed
        Assert.Equal(HttpStatusCode.Created, (await Client.Register("spacey3", password: "open    sesame!")).StatusCode);
    }

    [Fact]
    public async Task Password_length_counts_code_points_not_UTF16_units()
    {
        var elevenEmoji = string.Concat(Enumerable.Repeat("😀", 11)); // 22 UTF-16 units, 11 characters
        var twelveEmoji = string.Concat(Enumerable.Repeat("😀", 12));
        var tooLong = string.Concat(Enumerable.Repeat("😀", 129));
        var longest = string.Concat(Enumerable.Repeat("😀", 128));

        await (await Client.Register("emoji1", password: elevenEmoji)).Problem(HttpStatusCode.BadRequest);
        await (await Client.Register("emoji2", password: tooLong)).Problem(HttpStatusCode.BadRequest);
        Assert.Equal(HttpStatusCode.Created, (await Client.Register("emoji3", password: twelveEmoji)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await Client.Register("emoji4", password: longest)).StatusCode);
    }

    [Theory]
    [InlineData("1qaz2wsx3edc")]           // on the common-password list
    [InlineData("QAZWSXEDCRFV")]           // the list ignores case
    public async Task Common_passwords_get_400_saying_why(string password)
    {
        var problem = await (await Client.Register("commoner", password: password)).Problem(HttpStatusCode.BadRequest);

        Assert.Contains(problem.FieldErrors("password"), m => m.Contains("common"));
    }

    [Theory]
    [InlineData("Dorothy", "dot@example.com", "my dorothy password")]
    [InlineData("dot", "dorothy.gale@example.com", "Dorothy.Gale forever")]
    public async Task Passwords_containing_the_username_or_email_local_part_get_400_saying_why(string username, string email, string password)
    {
        var problem = await (await Client.Register(username, email, password)).Problem(HttpStatusCode.BadRequest);

        Assert.Contains(problem.FieldErrors("password"), m => m.Contains("username") || m.Contains("email"));
    }

    [Fact]
    public void The_common_password_list_holds_zxcvbns_30000_passwords() =>
        Assert.Equal(30_000, SliceAuth.Accounts.PasswordPolicy.CommonPasswordCount);

    [Fact]
    public async Task A_rejected_registration_creates_nothing()
    {
        await (await Client.Register("keepfree", password: "short")).Problem(HttpStatusCode.BadRequest);

        Assert.Equal(HttpStatusCode.Created, (await Client.Register("keepfree")).StatusCode);
    }
}
