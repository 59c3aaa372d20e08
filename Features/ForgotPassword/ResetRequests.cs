using System.Threading.Channels;
using SliceAuth.Accounts;
using SliceAuth.Audit;
using SliceAuth.Data;
using SliceAuth.Email;

namespace SliceAuth.Features.ForgotPassword;

/// <summary>
/// The password reset requests, handled one after another in the background: find the account by address,
/// check the mail limits, issue a token, queue the mail. Bounded: when a flood fills it, requests are dropped
/// (and logged), as they would be past the limits.
/// </summary>
public sealed class ResetRequests(IAccountStore accounts, MailAllowance allowance, MailedTokens tokens, AccountMail mail,
    AuditLog audit, ILogger<ResetRequests> log) : BackgroundService
{
    private const int Capacity = 1024;

    private readonly Channel<(string EmailKey, string? ClientAddress)> _queue =
        Channel.CreateBounded<(string, string?)>(new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.DropWrite });

    public void Enqueue(string emailKey, string? clientAddress)
    {
        if (!_queue.Writer.TryWrite((emailKey, clientAddress)))
            log.LogWarning("Password reset request from {ClientAddress} dropped: {Capacity} are already waiting", clientAddress, Capacity);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var (emailKey, client) in _queue.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                await HandleAsync(emailKey, client);
            }
            catch (StorageUnavailableException e)
            {
                log.LogWarning("Password reset request from {ClientAddress} not handled: storage unavailable ({Reason})", client, e.Message);
            }
        }
    }

    private async Task HandleAsync(string emailKey, string? client)
    {
        if (await accounts.FindByEmailKeyAsync(emailKey) is not { } user)
        {
            audit.ResetRequestedForUnknownAddress(client);
            return;
        }
        // Only mails count against the limits: requests for addresses without an account (the caller cannot tell
        // the difference anyway) must not use up a shared office address's allowance.
        if (!await allowance.TryTakeAsync(emailKey, client))
        {
            audit.MailSuppressed("password reset", client);
            return;
        }
        if (await tokens.IssueAsync(user, EmailTokenPurpose.ResetPassword, user.Email) is not { } token) return;
        mail.ResetPassword(user, token);
        audit.ResetRequested(user.UsernameKey, client);
    }
}
