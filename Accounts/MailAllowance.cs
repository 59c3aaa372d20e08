using Microsoft.Extensions.Options;
using SliceAuth.Data;

namespace SliceAuth.Accounts;

/// <summary>
/// Whether a reset or verification mail may go out: per client address and per recipient address, counted in
/// the store (<see cref="IMailQuota"/>) so every instance draws from the same count. Past either limit the
/// caller still gets its 202; only the mail is not sent.
/// </summary>
public sealed class MailAllowance(IMailQuota quota, IOptions<AccountEmailOptions> options, TimeProvider clock)
{
    public async Task<bool> TryTakeAsync(string emailKey, string? clientAddress)
    {
        var o = options.Value;
        var now = clock.GetUtcNow().UtcDateTime;
        // The client first: a flood from one client stops there without using up the victim's allowance.
        return await quota.TryTakeAsync("client:" + (clientAddress ?? "unknown"), o.MailsPerClient, o.MailWindow, now)
            && await quota.TryTakeAsync("address:" + emailKey, o.MailsPerAddress, o.MailWindow, now);
    }
}
