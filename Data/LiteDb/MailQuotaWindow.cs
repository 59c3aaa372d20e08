namespace SliceAuth.Data.LiteDb;

/// <summary>One key's current mail window in LiteDB (<see cref="LiteDbMailQuota"/>).</summary>
internal sealed class MailQuotaWindow
{
    /// <summary>The key: an address, a client.</summary>
    public string Id { get; set; } = "";

    public DateTime StartedAt { get; set; }

    public DateTime EndsAt { get; set; }

    public int Used { get; set; }
}
