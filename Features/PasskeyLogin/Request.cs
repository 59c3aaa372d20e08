using SliceAuth.Passkeys;

namespace SliceAuth.Features.PasskeyLogin;

public sealed class Request
{
    /// <summary>The assertion's toJSON().</summary>
    public AssertionCredential Credential { get; set; } = new();
}
