using System.Buffers.Binary;
using System.Buffers.Text;
using System.Formats.Cbor;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace SliceAuth.Tests.Infrastructure;

/// <summary>
/// A passkey in software, speaking WebAuthn as a browser and a CTAP2 authenticator together would: one ES256 (P-256)
/// discoverable credential, "none" attestation, user presence always set. It writes the JSON a page
/// posts (PublicKeyCredential.toJSON()), so tests drive the real HTTP pipeline. Origin, RP ID, counter and user handle
/// are settable, so a test can present exactly the wrong thing it is about.
/// </summary>
public sealed class SoftwareAuthenticator : IDisposable
{
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    /// <summary>What the browser writes as clientDataJSON's origin.</summary>
    public string Origin { get; set; } = "http://localhost:5000";

    /// <summary>Whose SHA-256 goes into authenticatorData (the browser takes it from the options; a wrong one is a test's doing).</summary>
    public string RpId { get; set; } = "localhost";

    /// <summary>The signature counter; each assertion moves it one forward before signing.</summary>
    public uint Counter { get; set; }

    /// <summary>Whether it says it verified the user (PIN, biometrics): the UV flag.</summary>
    public bool VerifiesUser { get; set; } = true;

    public byte[] CredentialId { get; init; } = RandomNumberGenerator.GetBytes(32);

    /// <summary>The user.id the server gave at creation; a discoverable passkey returns it with each assertion.</summary>
    public byte[]? UserHandle { get; set; }

    /// <summary>navigator.credentials.create() with the server's `publicKey` options.</summary>
    public object Create(JsonElement publicKey)
    {
        UserHandle ??= Base64Url.DecodeFromChars(publicKey.GetProperty("user").GetProperty("id").GetString());
        var clientData = ClientData("webauthn.create", publicKey);
        var authData = AuthenticatorData(flags: 0x01 | 0x40, AttestedCredentialData());

        var cbor = new CborWriter(CborConformanceMode.Ctap2Canonical);
        cbor.WriteStartMap(3);
        cbor.WriteTextString("fmt");
        cbor.WriteTextString("none");
        cbor.WriteTextString("attStmt");
        cbor.WriteStartMap(0);
        cbor.WriteEndMap();
        cbor.WriteTextString("authData");
        cbor.WriteByteString(authData);
        cbor.WriteEndMap();

        return new
        {
            id = Base64Url.EncodeToString(CredentialId),
            rawId = Base64Url.EncodeToString(CredentialId),
            type = "public-key",
            response = new { clientDataJSON = Base64Url.EncodeToString(clientData), attestationObject = Base64Url.EncodeToString(cbor.Encode()) },
        };
    }

    /// <summary>navigator.credentials.get() with the server's `publicKey` options (any options with a challenge).</summary>
    public object Get(JsonElement publicKey)
    {
        Counter++;
        var clientData = ClientData("webauthn.get", publicKey);
        var authData = AuthenticatorData(flags: 0x01, []);
        var signature = _key.SignData([.. authData, .. SHA256.HashData(clientData)], HashAlgorithmName.SHA256,
            DSASignatureFormat.Rfc3279DerSequence);
        return new
        {
            id = Base64Url.EncodeToString(CredentialId),
            rawId = Base64Url.EncodeToString(CredentialId),
            type = "public-key",
            response = new
            {
                clientDataJSON = Base64Url.EncodeToString(clientData),
                authenticatorData = Base64Url.EncodeToString(authData),
                signature = Base64Url.EncodeToString(signature),
                userHandle = UserHandle is null ? null : Base64Url.EncodeToString(UserHandle),
            },
        };
    }

    private byte[] ClientData(string type, JsonElement publicKey) => JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
    {
        ["type"] = type,
        ["challenge"] = publicKey.GetProperty("challenge").GetString()!,
        ["origin"] = Origin,
        ["crossOrigin"] = false,
    });

    private byte[] AuthenticatorData(byte flags, byte[] attested)
    {
        var counter = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(counter, Counter);
        if (VerifiesUser) flags |= 0x04;
        return [.. SHA256.HashData(Encoding.UTF8.GetBytes(RpId)), flags, .. counter, .. attested];
    }

    private byte[] AttestedCredentialData()
    {
        var length = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(length, (ushort)CredentialId.Length);
        return [.. new byte[16] /* AAGUID: none */, .. length, .. CredentialId, .. CoseKey()];
    }

    private byte[] CoseKey()
    {
        var point = _key.ExportParameters(includePrivateParameters: false).Q;
        var cbor = new CborWriter(CborConformanceMode.Ctap2Canonical);
        cbor.WriteStartMap(5);
        cbor.WriteInt32(1); cbor.WriteInt32(2);   // kty: EC2
        cbor.WriteInt32(3); cbor.WriteInt32(-7);  // alg: ES256
        cbor.WriteInt32(-1); cbor.WriteInt32(1);  // crv: P-256
        cbor.WriteInt32(-2); cbor.WriteByteString(point.X!);
        cbor.WriteInt32(-3); cbor.WriteByteString(point.Y!);
        cbor.WriteEndMap();
        return cbor.Encode();
    }

    public void Dispose() => _key.Dispose();
}
