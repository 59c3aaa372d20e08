using System.Text.RegularExpressions;
using System.Web;
using MimeKit;

namespace SliceAuth.Tests.Infrastructure;

/// <summary>One mail as a person would read it, parsed with MimeKit from what actually arrived.</summary>
/// <param name="Link">The first http(s) link in the text body, or null.</param>
/// <param name="Token">The <c>token</c> query value of <paramref name="Link"/>, or null.</param>
public sealed record ReceivedMail(string To, string Subject, string? Text, string? Html, string? Link, string? Token, string Raw);

/// <summary>
/// Where the app's mail lands in a test: a real SMTP server (<see cref="SmtpInbox"/>) or the pickup directory
/// (<see cref="PickupMailbox"/>). Each mail is handed out once, in arrival order, per recipient.
/// </summary>
public interface IMailbox
{
    /// <summary>The next mail to <paramref name="to"/> not yet handed out; waits for it (default 10 s), then fails.</summary>
    Task<ReceivedMail> NextAsync(string to, TimeSpan? timeout = null);

    /// <summary>Waits <paramref name="wait"/> and fails if any mail to <paramref name="to"/> arrived that was not handed out.</summary>
    Task AssertNoneAsync(string to, TimeSpan wait);
}

/// <summary>The part both mailboxes share: parsing, per-recipient order, waiting.</summary>
public abstract partial class MailboxBase : IMailbox
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);
    private readonly Lock _lock = new();
    private readonly HashSet<string> _handedOut = [];

    /// <summary>Every mail arrived so far, oldest first, each with a key that names it for good.</summary>
    protected abstract IReadOnlyList<(string Key, Func<ReceivedMail> Read)> Arrived();

    public async Task<ReceivedMail> NextAsync(string to, TimeSpan? timeout = null)
    {
        var limit = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        while (true)
        {
            if (TryTake(to) is { } mail) return mail;
            if (DateTime.UtcNow > limit) throw new TimeoutException($"No mail to {to} arrived in time ({Describe()}).");
            await Task.Delay(20);
        }
    }

    public async Task AssertNoneAsync(string to, TimeSpan wait)
    {
        await Task.Delay(wait);
        if (TryTake(to) is { } mail) Assert.Fail($"A mail to {to} arrived: '{mail.Subject}'.");
    }

    private ReceivedMail? TryTake(string to)
    {
        lock (_lock)
        {
            foreach (var (key, read) in Arrived())
            {
                if (_handedOut.Contains(key)) continue;
                var mail = read();
                if (!string.Equals(mail.To, to, StringComparison.OrdinalIgnoreCase)) continue;
                _handedOut.Add(key);
                return mail;
            }
            return null;
        }
    }

    private string Describe() => $"{Arrived().Count} mail(s) arrived in all";

    /// <summary>Parses a whole message (RFC 5322 text, as on the wire or in an .eml file).</summary>
    public static ReceivedMail Parse(string raw)
    {
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(raw));
        var message = MimeMessage.Load(stream);
        var to = message.To.Mailboxes.Single().Address;
        var text = message.TextBody;
        var link = text is null ? null : FirstLink().Match(text) is { Success: true } m ? m.Value : null;
        var token = link is null ? null : HttpUtility.ParseQueryString(new Uri(link).Query)["token"];
        return new ReceivedMail(to, message.Subject ?? "", text, message.HtmlBody, link, token, raw);
    }

    [GeneratedRegex(@"https?://[^\s<>""]+")]
    private static partial Regex FirstLink();
}
