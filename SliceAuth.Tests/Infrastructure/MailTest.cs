namespace SliceAuth.Tests.Infrastructure;

public enum MailTransport { Smtp, PickupDirectory }

/// <summary>
/// An <see cref="AppTest"/> whose app mails through <paramref name="transport"/>: a real SMTP server on loopback
/// (<see cref="SmtpInbox"/>) or the default pickup directory in the app's data directory (<see cref="PickupMailbox"/>).
/// </summary>
public abstract class MailTest : AppTest
{
    private readonly SmtpInbox? _smtp;

    protected MailTest(MailTransport transport, IReadOnlyDictionary<string, string?>? settings = null)
        : this(transport == MailTransport.Smtp ? new SmtpInbox() : null, settings)
    {
    }

    private MailTest(SmtpInbox? smtp, IReadOnlyDictionary<string, string?>? settings)
        : base(settings: Merge(smtp?.Settings, settings))
    {
        _smtp = smtp;
        Mail = smtp ?? (IMailbox)new PickupMailbox(App);
    }

    /// <summary>The mail the app sent, per recipient, in order.</summary>
    protected IMailbox Mail { get; }

    protected override void DisposeMore() => _smtp?.Dispose();

    private static Dictionary<string, string?> Merge(IReadOnlyDictionary<string, string?>? first, IReadOnlyDictionary<string, string?>? second)
    {
        var merged = new Dictionary<string, string?>(first ?? new Dictionary<string, string?>());
        foreach (var (key, value) in second ?? new Dictionary<string, string?>()) merged[key] = value;
        return merged;
    }
}
