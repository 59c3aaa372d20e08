namespace SliceAuth.Features.AddPasskey;

/// <summary>The stored passkey as GET /me/passkeys lists it; never key material.</summary>
public sealed class Response
{
    public Guid Id { get; init; }
    public string Name { get; init; } = "";
    public DateTime CreatedAt { get; init; }
    public DateTime? LastUsedAt { get; init; }
}
