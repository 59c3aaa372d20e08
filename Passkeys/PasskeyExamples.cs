namespace SliceAuth.Passkeys;

/// <summary>
/// Example bodies for the OpenAPI document: the shape of a browser's answer, with placeholder base64url values
/// (clientDataJSON "e30" is "{}"). Only an authenticator can produce an answer that verifies.
/// </summary>
internal static class PasskeyExamples
{
    private const string CredentialId = "3q2-7w";

    public static AttestationCredential Attestation => new()
    {
        Id = CredentialId,
        RawId = CredentialId,
        Type = "public-key",
        Response = new AttestationData { ClientDataJson = "e30", AttestationObject = "oA" },
    };

    public static AssertionCredential Assertion => new()
    {
        Id = CredentialId,
        RawId = CredentialId,
        Type = "public-key",
        Response = new AssertionData { ClientDataJson = "e30", AuthenticatorData = "AA", Signature = "AA", UserHandle = "AA" },
    };
}
