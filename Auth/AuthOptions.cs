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

    /// <summary>When the oldest password hash waiting for a bcrypt thread has waited this long, new ones get 503.</summary>
    public TimeSpan HashingMaxWait { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>A hard cap on waiting password hashes, whatever their wait.</summary>
    public int HashingQueueLimit { get; set; } = 1024;

    public LoginThrottleOptions LoginThrottle { get; set; } = new();

    /// <summary>The issuer an authenticator app shows beside the account's TOTP codes (the otpauth:// URI's issuer).</summary>
    public string TotpIssuer { get; set; } = "SliceAuth";
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
    // Browsers keep a cookie at most 400 days (RFC 6265bis); longer lifetimes only overflow date arithmetic.
    private static readonly TimeSpan LongestSession = TimeSpan.FromDays(400);
    private static readonly TimeSpan OneDay = TimeSpan.FromDays(1);

    public ValidateOptionsResult Validate(string? name, AuthOptions o)
    {
        var errors = new List<string>();
        if (o.BcryptWorkFactor is < 4 or > 31)
            errors.Add($"{Key(nameof(o.BcryptWorkFactor))} must be between 4 and 31 (got {o.BcryptWorkFactor}).");
        Within(errors, nameof(o.AbsoluteTimeout), o.AbsoluteTimeout, TimeSpan.FromSeconds(1), LongestSession);
        Within(errors, nameof(o.IdleTimeout), o.IdleTimeout, TimeSpan.FromSeconds(1), LongestSession);
        // Sliding past the absolute end is impossible: such an idle timeout would only mislead whoever reads it.
        if (o.IdleTimeout > o.AbsoluteTimeout && o.AbsoluteTimeout > TimeSpan.Zero)
            errors.Add($"{Key(nameof(o.IdleTimeout))} ({o.IdleTimeout:c}) must not be longer than {Key(nameof(o.AbsoluteTimeout))} ({o.AbsoluteTimeout:c}).");
        Within(errors, nameof(o.PurgeInterval), o.PurgeInterval, TimeSpan.FromSeconds(1), OneDay);
        // Never echo the pepper itself.
        if (!string.IsNullOrEmpty(o.Pepper) && o.Pepper.Length < AuthOptions.MinPepperLength)
            errors.Add($"{Key(nameof(o.Pepper))} must be at least {AuthOptions.MinPepperLength} characters long, or empty to generate one.");
        // Waiting longer than a client would for an answer only holds its connection.
        Within(errors, nameof(o.HashingMaxWait), o.HashingMaxWait, TimeSpan.FromMilliseconds(1), TimeSpan.FromMinutes(1));
        if (o.HashingQueueLimit < 1)
            errors.Add($"{Key(nameof(o.HashingQueueLimit))} must be at least 1 (got {o.HashingQueueLimit}).");
        if (o.LoginThrottle.MaxFailures < 1)
            errors.Add($"{Key("LoginThrottle:MaxFailures")} must be at least 1 (got {o.LoginThrottle.MaxFailures}).");
        Within(errors, "LoginThrottle:Window", o.LoginThrottle.Window, TimeSpan.FromSeconds(1), OneDay);
        if (string.IsNullOrWhiteSpace(o.CookieName) || o.CookieName.Any(c => !char.IsAsciiLetterOrDigit(c) && c is not ('-' or '_' or '.')))
            errors.Add($"{Key(nameof(o.CookieName))} must be a non-empty token of ASCII letters, digits, '-', '_' or '.'.");
        // Over HTTPS the name gets "__Host-" added; a prefix of one's own would double it or contradict it.
        else if (o.CookieName.StartsWith("__Host-", StringComparison.OrdinalIgnoreCase) || o.CookieName.StartsWith("__Secure-", StringComparison.OrdinalIgnoreCase))
            errors.Add($"{Key(nameof(o.CookieName))} must not start with __Host- or __Secure-: over HTTPS SliceAuth adds __Host- itself.");
        // The issuer is part of the otpauth:// label, where a colon separates it from the account name.
        if (string.IsNullOrWhiteSpace(o.TotpIssuer) || o.TotpIssuer.Length > 64 || o.TotpIssuer.Contains(':') || o.TotpIssuer.Any(char.IsControl))
            errors.Add($"{Key(nameof(o.TotpIssuer))} must be 1 to 64 characters without ':' or control characters.");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Within(List<string> errors, string property, TimeSpan value, TimeSpan min, TimeSpan max)
    {
        if (value < min || value > max)
            errors.Add($"{Key(property)} must be between {min:c} and {max:c} (got {value:c}).");
    }

    private static string Key(string property) => $"{AuthOptions.Section}:{property}";
}
