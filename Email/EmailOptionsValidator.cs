using Microsoft.Extensions.Options;
using MimeKit;

namespace SliceAuth.Email;

internal sealed class EmailOptionsValidator : IValidateOptions<EmailOptions>
{
    public ValidateOptionsResult Validate(string? name, EmailOptions o)
    {
        var errors = new List<string>();
        if (!MailboxAddress.TryParse(o.From, out _))
            errors.Add($"{Key(nameof(o.From))} must be a mail address, optionally with a name (for example 'SliceAuth <no-reply@example.com>').");
        if (o.LinkBaseUrl.Length > 0 && !MailLinks.IsValidBase(o.LinkBaseUrl))
            errors.Add($"{Key(nameof(o.LinkBaseUrl))} must be an absolute http or https URL without query or fragment, for example https://app.example.com/account (got '{o.LinkBaseUrl}').");
        if (!Enum.IsDefined(o.Smtp.Security))
            errors.Add($"{Key("Smtp:Security")} must be one of {string.Join(", ", Enum.GetNames<SmtpSecurity>())}.");
        if (o.Smtp.Port is < 0 or > 65535)
            errors.Add($"{Key("Smtp:Port")} must be a port number from 1 to 65535, or 0 for the usual port of Smtp:Security (got {o.Smtp.Port}).");
        if (o.Smtp.Host.Any(char.IsWhiteSpace))
            errors.Add($"{Key("Smtp:Host")} must be a host name or address, without spaces.");
        if (o.Smtp.Password.Length > 0 && o.Smtp.Username.Length == 0)
            errors.Add($"{Key("Smtp:Username")} must be set when {Key("Smtp:Password")} is.");
        if (o.QueueCapacity is < 1 or > 1_000_000)
            errors.Add($"{Key(nameof(o.QueueCapacity))} must be from 1 to 1000000 (got {o.QueueCapacity}).");
        if (o.SendAttempts is < 1 or > 20)
            errors.Add($"{Key(nameof(o.SendAttempts))} must be from 1 to 20 (got {o.SendAttempts}).");
        if (o.FirstRetryDelay <= TimeSpan.Zero || o.FirstRetryDelay > TimeSpan.FromHours(1))
            errors.Add($"{Key(nameof(o.FirstRetryDelay))} must be more than zero and at most 01:00:00.");
        // The host stops everything after 30 seconds anyway.
        if (o.ShutdownGrace < TimeSpan.Zero || o.ShutdownGrace > TimeSpan.FromSeconds(25))
            errors.Add($"{Key(nameof(o.ShutdownGrace))} must be from 00:00:00 to 00:00:25.");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static string Key(string property) => $"{EmailOptions.Section}:{property}";
}
