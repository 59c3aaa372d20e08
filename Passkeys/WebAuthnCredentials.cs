using System.Buffers.Text;
using System.Text.Json.Serialization;
using Fido2NetLib;
using Fido2NetLib.Objects;

namespace SliceAuth.Passkeys;

/// <summary>
/// A browser's answer to navigator.credentials.create(), as PublicKeyCredential.toJSON() writes it (binary fields
/// base64url). Our own shape rather than the library's, so the API documents plain strings and a bad field is a
/// validation problem naming it.
/// </summary>
public sealed class AttestationCredential
{
    public string Id { get; set; } = "";
    public string RawId { get; set; } = "";
    /// <summary>Always "public-key".</summary>
    public string Type { get; set; } = "";
    public AttestationData Response { get; set; } = new();

    internal AuthenticatorAttestationRawResponse ToFido2() => new()
    {
        Id = Id,
        RawId = Base64Url.DecodeFromChars(RawId),
        Type = PublicKeyCredentialType.PublicKey,
        Response = new AuthenticatorAttestationRawResponse.AttestationResponse
        {
            ClientDataJson = Base64Url.DecodeFromChars(Response.ClientDataJson),
            AttestationObject = Base64Url.DecodeFromChars(Response.AttestationObject),
            Transports = [],
        },
        ClientExtensionResults = new AuthenticationExtensionsClientOutputs(),
    };
}

public sealed class AttestationData
{
    [JsonPropertyName("clientDataJSON")]
    public string ClientDataJson { get; set; } = "";
    public string AttestationObject { get; set; } = "";
}

/// <summary>A browser's answer to navigator.credentials.get(), as PublicKeyCredential.toJSON() writes it.</summary>
public sealed class AssertionCredential
{
    public string Id { get; set; } = "";
    public string RawId { get; set; } = "";
    /// <summary>Always "public-key".</summary>
    public string Type { get; set; } = "";
    public AssertionData Response { get; set; } = new();

    internal AuthenticatorAssertionRawResponse ToFido2() => new()
    {
        Id = Id,
        RawId = Base64Url.DecodeFromChars(RawId),
        Type = PublicKeyCredentialType.PublicKey,
        Response = new AuthenticatorAssertionRawResponse.AssertionResponse
        {
            ClientDataJson = Base64Url.DecodeFromChars(Response.ClientDataJson),
            AuthenticatorData = Base64Url.DecodeFromChars(Response.AuthenticatorData),
            Signature = Base64Url.DecodeFromChars(Response.Signature),
            UserHandle = Response.UserHandle is { Length: > 0 } handle ? Base64Url.DecodeFromChars(handle) : null,
        },
        ClientExtensionResults = new AuthenticationExtensionsClientOutputs(),
    };
}

public sealed class AssertionData
{
    [JsonPropertyName("clientDataJSON")]
    public string ClientDataJson { get; set; } = "";
    public string AuthenticatorData { get; set; } = "";
    public string Signature { get; set; } = "";
    /// <summary>The account's user handle; a discoverable passkey always sends it.</summary>
    public string? UserHandle { get; set; }
}
