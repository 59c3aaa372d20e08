using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using SliceAuth.Data;

namespace SliceAuth.Accounts;

/// <summary>
/// The one-time tokens that go out in mailed links: 256 random bits, base64url in the link, only their SHA-256
/// stored, each bound to a purpose, an account, an address and (for reset and email change) the password.
/// </summary>
public sealed class MailedTokens(IEmailTokenStore tokens, IOptions<AccountEmailOptions> options, TimeProvider clock)
{
    /// <summary>A new token for <paramref name="user"/>, stored; null when the account no longer exists.</summary>
    public async Task<string?> IssueAsync(User user, EmailTokenPurpose purpose, string email)
    {
        var token = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        var now = Now();
        var lifetime = purpose == EmailTokenPurpose.ResetPassword ? options.Value.ResetTokenLifetime : options.Value.VerificationTokenLifetime;
        var stored = await tokens.AddAsync(new EmailToken
        {
            Id = IdOf(token),
            AccountId = user.Id,
            Purpose = purpose,
            Email = Emails.Clean(email),
            EmailKey = Emails.Key(email),
            CredentialStamp = user.CredentialStamp,
            CreatedAt = now,
            ExpiresAt = now + lifetime,
        });
        return stored ? token : null;
    }

    /// <summary>The stored id of a token as presented: its SHA-256, so a stolen table holds no working link.</summary>
    public static string IdOf(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    public DateTime Now() => clock.GetUtcNow().UtcDateTime;
}
