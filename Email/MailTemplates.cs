using System.Text.Encodings.Web;

namespace SliceAuth.Email;

/// <summary>One mail's words: a fixed subject (no user input, so no header injection), a text and an HTML body.</summary>
public sealed record MailContent(string Subject, string Text, string Html);

/// <summary>
/// The wording of every account mail. The link comes first and the username after it: a name that looks like
/// a link ("http://evil.example") must never be the first link a reader (or a mail client's preview) sees.
/// Every value put into HTML goes through <see cref="HtmlEncoder"/>: a username may hold any character.
/// </summary>
public static class MailTemplates
{
    public static MailContent VerifyAddress(string username, string link) => WithLink(
        "Verify your email address",
        "Confirm that this address belongs to your SliceAuth account by opening this link:",
        link, username,
        "If you did not create an account, ignore this mail.");

    public static MailContent ConfirmNewAddress(string username, string link) => WithLink(
        "Confirm your new email address",
        "Someone asked to make this the address of a SliceAuth account. Open this link to confirm it:",
        link, username,
        "Until you confirm, the account keeps its old address. If this was not you, ignore this mail.");

    public static MailContent ResetPassword(string username, string link) => WithLink(
        "Reset your password",
        "Someone asked to reset the password of your SliceAuth account. Choose a new password here:",
        link, username,
        "If this was not you, ignore this mail: your password stays as it is.");

    public static MailContent PasswordChanged(string username) => Notice(
        "Your password was changed",
        "The password of your SliceAuth account was changed.", username);

    public static MailContent PasswordWasReset(string username) => Notice(
        "Your password was reset",
        "The password of your SliceAuth account was reset through a mailed link, and every session was signed out.", username);

    public static MailContent EmailChanged(string username, string maskedNewEmail) => Notice(
        "Your email address was changed",
        $"The email address of your SliceAuth account is now {maskedNewEmail}. Mail about the account no longer comes to this address.",
        username);

    public static MailContent AccountDeleted(string username) => Notice(
        "Your account was deleted",
        "Your SliceAuth account was deleted, with everything stored about it.", username, action: "If this was not you, contact your administrator.");

    public static MailContent SecondFactorEnabled(string username) => Notice(
        "Two-step login was turned on",
        "Logging in to your SliceAuth account now also asks for a code from your authenticator app, and every other session was signed out.",
        username);

    public static MailContent SecondFactorDisabled(string username) => Notice(
        "Two-step login was turned off",
        "Logging in to your SliceAuth account no longer asks for a code from an authenticator app, and every other session was signed out.",
        username);

    public static MailContent RecoveryCodesReplaced(string username) => Notice(
        "Your recovery codes were replaced",
        "New recovery codes were made for your SliceAuth account; the old ones no longer work, and every other session was signed out.",
        username);

    public static MailContent PasskeyAdded(string username, string passkeyName) => Notice(
        "A passkey was added to your account",
        $"A passkey named \"{passkeyName}\" was added to your SliceAuth account; it can now sign in without the password.", username);

    public static MailContent PasskeyRemoved(string username, string passkeyName) => Notice(
        "A passkey was removed from your account",
        $"The passkey named \"{passkeyName}\" was removed from your SliceAuth account; it can no longer sign in.", username);

    private static MailContent WithLink(string subject, string lead, string link, string username, string closing)
    {
        var text = $"{lead}\n\n{link}\n\nThe link works once and only for a short time.\n\nAccount: {username}\n\n{closing}\n";
        var html = Page(subject,
            $"<p>{Encode(lead)}</p>\n<p><a href=\"{Encode(link)}\">{Encode(subject)}</a></p>\n" +
            $"<p>Or copy this address into your browser:<br>{Encode(link)}</p>\n<p>The link works once and only for a short time.</p>\n" +
            $"<p>Account: <b>{Encode(username)}</b></p>\n<p>{Encode(closing)}</p>");
        return new MailContent(subject, text, html);
    }

    private static MailContent Notice(string subject, string what, string username,
        string action = "If this was not you, reset your password at once and contact your administrator.")
    {
        var text = $"{what}\n\nAccount: {username}\n\n{action}\n";
        var html = Page(subject,
            $"<p>{Encode(what)}</p>\n<p>Account: <b>{Encode(username)}</b></p>\n<p>{Encode(action)}</p>");
        return new MailContent(subject, text, html);
    }

    private static string Page(string title, string body) =>
        $"<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{Encode(title)}</title></head>\n<body>\n{body}\n</body></html>\n";

    private static string Encode(string value) => HtmlEncoder.Default.Encode(value);

    /// <summary>
    /// The new address as the notice to the old one shows it: first letter of the local part and the whole
    /// domain (j***@example.com). The owner recognises an address of theirs; someone who reads the old
    /// mailbox (the reason the address changed, perhaps) does not learn the new one.
    /// </summary>
    public static string Mask(string email)
    {
        var at = email.LastIndexOf('@');
        if (at <= 0) return "***";
        return $"{email[0]}***{email[at..]}";
    }
}
