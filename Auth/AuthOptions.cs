using Microsoft.Extensions.Options;

namespace SliceAuth.Auth;

public sealed class AuthOptions
{
    public const string Section = "Auth";
    public const int MinPepperLength = 32;

    /// <summary>bcrypt cost: each step doubles the work (12 is about 260 ms a hash on a 2-core machine).</summary>
    public int BcryptWorkFactor { get; set; } = 12;

    /// <summary>A session unused this long ends (sliding).</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>A session ends this long after login, however active.</summary>
    public TimeSpan AbsoluteTimeout { get; set; } = TimeSpan.FromHours(12);

    /// <summary>How often expired sessions are deleted from the database.</summary>
    public TimeSpan PurgeInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Server secret mixed into every password hash. Empty: generated once and kept in the data directory.</summary>
    public string? Pepper { get; set; }

    /// <summary>Cookie name over HTTP; over HTTPS the name gets the "__Host-" prefix.</summary>
    public string CookieName { get; set; } = "sliceauth";

    public LoginThrottleOptions LoginThrottle { get; set; } = new();
}

/// <summary>The per-account brake on password guessing (Auth:LoginThrottle). Always on.</summary>
public sealed class LoginThrottleOptions
{
    /// <summary>Consecutive failures allowed within the window; the next attempt gets 429.</summary>
    public int MaxFailures { get; set; } = 10;

    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(15);
}

internal sealed class AuthOptionsValidator : IValidateOptions<AuthOptions>
{
    public ValidateOptionsResult Validate(string? name, AuthOptions o)
    {
        var errors = new List<string>();
        if (o.BcryptWorkFactor is < 4 or > 31)
            errors.Add($"{Key(nameof(o.BcryptWorkFactor))} must be between 4 and 31 (got {o.BcryptWorkFactor}).");
        if (o.IdleTimeout <= TimeSpan.Zero)
            errors.Add($"{Key(nameof(o.IdleTimeout))} must be positive (got {o.IdleTimeout}).");
        if (o.AbsoluteTimeout <= TimeSpan.Zero)
            errors.Add($"{Key(nameof(o.AbsoluteTimeout))} must be positive (got {o.AbsoluteTimeout}).");
        if (o.PurgeInterval <= TimeSpan.Zero)
            errors.Add($"{Key(nameof(o.PurgeInterval))} must be positive (got {o.PurgeInterval}).");
        // Never echo the pepper itself.
        if (!string.IsNullOrEmpty(o.Pepper) && o.Pepper.Length < AuthOptions.MinPepperLength)
            errors.Add($"{Key(nameof(o.Pepper))} must be at least {AuthOptions.MinPepperLength} characters long, or empty to generate one.");
        if (o.LoginThrottle.MaxFailures < 1)
            errors.Add($"{Key("LoginThrottle:MaxFailures")} must be at least 1 (got {o.LoginThrottle.MaxFailures}).");
        if (o.LoginThrottle.Window <= TimeSpan.Zero)
            errors.Add($"{Key("LoginThrottle:Window")} must be positive (got {o.LoginThrottle.Window}).");
        if (string.IsNullOrWhiteSpace(o.CookieName) || o.CookieName.Any(c => !char.IsAsciiLetterOrDigit(c) && c is not ('-' or '_' or '.')))
            errors.Add($"{Key(nameof(o.CookieName))} must be a non-empty token of ASCII letters, digits, '-', '_' or '.'.");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static string Key(string property) => $"{AuthOptions.Section}:{property}";
}
