using SliceAuth.Passkeys;

namespace SliceAuth.Features.AddPasskey;

public sealed class Request
{
    /// <summary>What to call it ("laptop", "phone"): 1 to 64 characters, trimmed.</summary>
    public string Name { get; set; } = "";

    /// <summary>The created credential's toJSON().</summary>
    public AttestationCredential Credential { get; set; } = new();
}
