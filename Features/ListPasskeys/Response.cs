namespace SliceAuth.Features.ListPasskeys;

/// <summary>One passkey of the account; never key material.</summary>
public sealed class Response
{
    /// <summary>What DELETE /me/passkeys/{id} takes.</summary>
    public Guid Id { get; init; }
    public string Name { get; init; } = "";
    public DateTime CreatedAt { get; init; }
    public DateTime? LastUsedAt { get; init; }
}
