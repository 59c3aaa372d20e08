using System.Text.Json;

namespace SliceAuth.Features.PasskeyRegistrationOptions;

public sealed class Response
{
    /// <summary>PublicKeyCredentialCreationOptionsJSON (WebAuthn Level 3): binary fields base64url.</summary>
    public JsonElement PublicKey { get; init; }
}
