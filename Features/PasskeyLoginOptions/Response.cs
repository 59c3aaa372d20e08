using System.Text.Json;

namespace SliceAuth.Features.PasskeyLoginOptions;

public sealed class Response
{
    /// <summary>PublicKeyCredentialRequestOptionsJSON (WebAuthn Level 3): binary fields base64url.</summary>
    public JsonElement PublicKey { get; init; }
}
