using SliceAuth.Data;

namespace SliceAuth.Email;

/// <summary>
/// The mails an account receives. Each call builds the message and queues it; it never waits for the mailer
/// and never fails the request (see MailQueue). Tokens appear only in the message's link, never in a log line.
/// </summary>
public sealed class AccountMail
{
    /// <summary>To the account's address: a link to /account/verify-email?token=.</summary>
    public void VerifyAddress(User user, string token) => throw new NotImplementedException();

    /// <summary>To the new address: a link to /account/verify-email?token= that makes it the account's address.</summary>
    public void ConfirmNewAddress(User user, string newEmail, string token) => throw new NotImplementedException();

    /// <summary>To the account's address: a link to /account/reset-password?token=.</summary>
    public void ResetPassword(User user, string token) => throw new NotImplementedException();

    /// <summary>Security notice: the password was changed.</summary>
    public void PasswordChanged(User user) => throw new NotImplementedException();

    /// <summary>Security notice: the password was reset through a mailed link.</summary>
    public void PasswordWasReset(User user) => throw new NotImplementedException();

    /// <summary>Security notice to the old address: the account's address is now another one.</summary>
    public void EmailChanged(User user, string oldEmail) => throw new NotImplementedException();

    /// <summary>Security notice: the account was deleted (the user object as it was).</summary>
    public void AccountDeleted(User user) => throw new NotImplementedException();
}
