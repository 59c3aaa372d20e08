namespace SliceAuth.Email;

/// <summary>Section <c>Email</c>: who mail comes from, where its links point, and how it is sent.</summary>
public sealed class EmailOptions
{
    public const string Section = "Email";

    /// <summary>The From header, an address with an optional display name.</summary>
    public string From { get; set; } = "SliceAuth <no-reply@localhost>";

    /// <summary>
    /// Absolute http(s) URL of the pages that take the tokens: links are {LinkBaseUrl}/reset-password?token=...
    /// and {LinkBaseUrl}/verify-email?token=.... Empty: this server's own pages, {first address the server
    /// listens on, https first}/account. Never taken from a request's Host header: a forged Host would send
    /// the victim a reset link to the attacker's site (see <see cref="MailLinks"/>).
    /// </summary>
    public string LinkBaseUrl { get; set; } = "";

    /// <summary>Where mail goes as .eml files when Smtp:Host is empty. Empty: {Storage:DataDirectory}/mail.</summary>
    public string PickupDirectory { get; set; } = "";

    public SmtpOptions Smtp { get; set; } = new();

    /// <summary>Mails waiting to be sent; past it new mail is dropped with a warning (the request never waits).</summary>
    public int QueueCapacity { get; set; } = 1000;

    /// <summary>Tries per mail, the first one included.</summary>
    public int SendAttempts { get; set; } = 5;

    /// <summary>Wait before the second try; it doubles for each further one.</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>At shutdown, how long the sender may go on with what is queued before it gives up.</summary>
    public TimeSpan ShutdownGrace { get; set; } = TimeSpan.FromSeconds(5);
}

public sealed class SmtpOptions
{
    /// <summary>Set: mail goes out over SMTP. Empty: to the pickup directory.</summary>
    public string Host { get; set; } = "";

    /// <summary>0: the usual port for <see cref="Security"/> (587 StartTls, 465 SslOnConnect, 25 None).</summary>
    public int Port { get; set; }

    /// <summary>Empty: no authentication.</summary>
    public string Username { get; set; } = "";

    public string Password { get; set; } = "";

    public SmtpSecurity Security { get; set; } = SmtpSecurity.StartTls;

    public int EffectivePort => Port != 0 ? Port : Security switch
    {
        SmtpSecurity.SslOnConnect => 465,
        SmtpSecurity.None => 25,
        _ => 587,
    };
}

public enum SmtpSecurity
{
    /// <summary>Plain connection upgraded with STARTTLS; refused if the server does not offer it.</summary>
    StartTls,
    /// <summary>TLS from the first byte (SMTPS).</summary>
    SslOnConnect,
    /// <summary>No TLS: only for a relay on the same host or network.</summary>
    None,
}
