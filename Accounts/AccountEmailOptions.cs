using Microsoft.Extensions.Options;

namespace SliceAuth.Accounts;

/// <summary>The mailed-link flows (Accounts:…): verified addresses, password reset, email change.</summary>
public sealed class AccountEmailOptions
{
    public const string Section = "Accounts";

    /// <summary>Login answers 403 for an account whose address is not verified (after the password was right).</summary>
    public bool RequireVerifiedEmail { get; set; }

    /// <summary>How long a verification or new-address link works.</summary>
    public TimeSpan VerificationTokenLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How long a password reset link works.</summary>
    public TimeSpan ResetTokenLifetime { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Reset and verification mails one address may receive per <see cref="MailWindow"/>: a bot cannot flood a victim's inbox.</summary>
    public int MailsPerAddress { get; set; } = 3;

    /// <summary>Reset and verification mails one client address may cause per <see cref="MailWindow"/>.</summary>
    public int MailsPerClient { get; set; } = 10;

    public TimeSpan MailWindow { get; set; } = TimeSpan.FromHours(1);
}

internal sealed class AccountEmailOptionsValidator : IValidateOptions<AccountEmailOptions>
{
    public ValidateOptionsResult Validate(string? name, AccountEmailOptions o)
    {
        var errors = new List<string>();
        Within(errors, nameof(o.VerificationTokenLifetime), o.VerificationTokenLifetime, TimeSpan.FromMinutes(1), TimeSpan.FromDays(30));
        Within(errors, nameof(o.ResetTokenLifetime), o.ResetTokenLifetime, TimeSpan.FromMinutes(1), TimeSpan.FromDays(1));
        Within(errors, nameof(o.MailWindow), o.MailWindow, TimeSpan.FromSeconds(1), TimeSpan.FromDays(1));
        if (o.MailsPerAddress < 1) errors.Add($"{Key(nameof(o.MailsPerAddress))} must be at least 1 (got {o.MailsPerAddress}).");
        if (o.MailsPerClient < 1) errors.Add($"{Key(nameof(o.MailsPerClient))} must be at least 1 (got {o.MailsPerClient}).");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Within(List<string> errors, string property, TimeSpan value, TimeSpan min, TimeSpan max)
    {
        if (value < min || value > max) errors.Add($"{Key(property)} must be between {min:c} and {max:c} (got {value:c}).");
    }

    private static string Key(string property) => $"{AccountEmailOptions.Section}:{property}";
}
