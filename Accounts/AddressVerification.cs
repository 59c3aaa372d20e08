using SliceAuth.Audit;
using SliceAuth.Data;
using SliceAuth.Email;

namespace SliceAuth.Accounts;

/// <summary>Mails an account a link that verifies its address (after registration, and on request).</summary>
public sealed class AddressVerification(MailedTokens tokens, MailAllowance allowance, AccountMail mail, AuditLog audit,
    ILogger<AddressVerification> log)
{
    /// <summary>Queues the mail unless a limit says no or the account is gone; never fails the caller's request for it.</summary>
    public async Task SendAsync(User user, string? clientAddress)
    {
        if (!await allowance.TryTakeAsync(user.EmailKey, clientAddress))
        {
            audit.MailSuppressed("verification", clientAddress);
            return;
        }
        if (await tokens.IssueAsync(user, EmailTokenPurpose.VerifyEmail, user.Email) is not { } token) return;
        mail.VerifyAddress(user, token);
        audit.VerificationSent(user.UsernameKey, clientAddress);
    }

    /// <summary>As <see cref="SendAsync"/>, for a request that already did what it was for (a registration): a storage
    /// fault costs only the mail, which the user can ask for again.</summary>
    public async Task TrySendAsync(User user, string? clientAddress)
    {
        try
        {
            await SendAsync(user, clientAddress);
        }
        catch (StorageUnavailableException e)
        {
            log.LogWarning("Verification mail for {Username} not sent: storage unavailable ({Reason})", user.UsernameKey, e.Message);
        }
    }
}
