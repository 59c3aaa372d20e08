using Microsoft.Extensions.Options;
using MimeKit;
using MimeKit.Utils;
using SliceAuth.Data;

namespace SliceAuth.Email;

/// <summary>
/// The mails an account receives. Each call builds the message and queues it; it never waits for the mailer
/// and never fails the request (see MailQueue). Tokens appear only in the message's link, never in a log line.
/// </summary>
public sealed class AccountMail(MailQueue queue, MailLinks links, IOptions<EmailOptions> options, TimeProvider clock, ILogger<AccountMail> logger)
{
    /// <summary>To the account's address: a link to /account/verify-email?token=.</summary>
    public void VerifyAddress(User user, string token) =>
        Send(nameof(VerifyAddress), user, user.Email, () => MailTemplates.VerifyAddress(user.Username, links.VerifyEmail(token)));

    /// <summary>To the new address: a link to /account/verify-email?token= that makes it the account's address.</summary>
    public void ConfirmNewAddress(User user, string newEmail, string token) =>
        Send(nameof(ConfirmNewAddress), user, newEmail, () => MailTemplates.ConfirmNewAddress(user.Username, links.VerifyEmail(token)));

    /// <summary>To the account's address: a link to /account/reset-password?token=.</summary>
    public void ResetPassword(User user, string token) =>
        Send(nameof(ResetPassword), user, user.Email, () => MailTemplates.ResetPassword(user.Username, links.ResetPassword(token)));

    /// <summary>Security notice: the password was changed.</summary>
    public void PasswordChanged(User user) =>
        Send(nameof(PasswordChanged), user, user.Email, () => MailTemplates.PasswordChanged(user.Username));

    /// <summary>Security notice: the password was reset through a mailed link.</summary>
    public void PasswordWasReset(User user) =>
        Send(nameof(PasswordWasReset), user, user.Email, () => MailTemplates.PasswordWasReset(user.Username));

    /// <summary>
    /// Security notice to the old address: the account's address is now another one (user.Email), shown
    /// masked (<see cref="MailTemplates.Mask"/>).
    /// </summary>
    public void EmailChanged(User user, string oldEmail) =>
        Send(nameof(EmailChanged), user, oldEmail, () => MailTemplates.EmailChanged(user.Username, MailTemplates.Mask(user.Email)));

    /// <summary>Security notice: the account was deleted (the user object as it was).</summary>
    public void AccountDeleted(User user) =>
        Send(nameof(AccountDeleted), user, user.Email, () => MailTemplates.AccountDeleted(user.Username));

    /// <summary>Security notice: TOTP was turned on.</summary>
    public void SecondFactorEnabled(User user) =>
        Send(nameof(SecondFactorEnabled), user, user.Email, () => MailTemplates.SecondFactorEnabled(user.Username));

    /// <summary>Security notice: TOTP was turned off.</summary>
    public void SecondFactorDisabled(User user) =>
        Send(nameof(SecondFactorDisabled), user, user.Email, () => MailTemplates.SecondFactorDisabled(user.Username));

    /// <summary>Security notice: the recovery codes were replaced.</summary>
    public void RecoveryCodesReplaced(User user) =>
        Send(nameof(RecoveryCodesReplaced), user, user.Email, () => MailTemplates.RecoveryCodesReplaced(user.Username));

    /// <summary>Security notice: a passkey was added to the account.</summary>
    public void PasskeyAdded(User user, string passkeyName) =>
        Send(nameof(PasskeyAdded), user, user.Email, () => MailTemplates.PasskeyAdded(user.Username, passkeyName));

    /// <summary>Security notice: a passkey was removed from the account.</summary>
    public void PasskeyRemoved(User user, string passkeyName) =>
        Send(nameof(PasskeyRemoved), user, user.Email, () => MailTemplates.PasskeyRemoved(user.Username, passkeyName));

    private void Send(string kind, User user, string to, Func<MailContent> content)
    {
        try
        {
            queue.Enqueue(new QueuedMail(kind, user.UsernameKey, Build(to, content())));
        }
        // The request that asked for the mail must go on whatever happens here (an address MimeKit cannot
        // parse, say): the mail is lost, the log says which; never the token, which only the content holds.
        catch (Exception e) when (e is ParseException or ArgumentException or FormatException or InvalidOperationException)
        {
            logger.LogWarning("{MailKind} mail for account {UsernameKey} not queued: {Error}", kind, user.UsernameKey, e.GetType().Name);
        }
    }

    private MimeMessage Build(string to, MailContent content)
    {
        var from = MailboxAddress.Parse(options.Value.From);
        var message = new MimeMessage
        {
            Subject = content.Subject,
            Date = clock.GetUtcNow(),
            MessageId = MimeUtils.GenerateMessageId(from.Domain),
            Body = new BodyBuilder { TextBody = content.Text, HtmlBody = content.Html }.ToMessageBody(),
        };
        message.From.Add(from);
        // The bare address, no display name: nothing typed by a user goes into a header.
        message.To.Add(new MailboxAddress("", to));
        return message;
    }
}
