namespace SliceAuth.Passkeys;

/// <summary>A WebAuthn user handle is the account id's 16 bytes (RFC 9562 order): no personal data, and the same on every device.</summary>
public static class UserHandles
{
    public static byte[] Of(Guid accountId) => accountId.ToByteArray(bigEndian: true);

    public static bool Matches(byte[]? handle, Guid accountId) => handle is { Length: 16 } && new Guid(handle, bigEndian: true) == accountId;
}
