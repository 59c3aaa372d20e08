namespace SliceAuth.Data.LiteDb;

/// <summary>
/// An account's <see cref="SecondFactor"/> as LiteDB stores it: keyed by the account id, with a list the mapper can
/// rebuild (it cannot construct an <see cref="IReadOnlyList{T}"/>) and no computed members.
/// </summary>
internal sealed class SecondFactorDocument
{
    /// <summary>The account's id.</summary>
    public Guid Id { get; set; }

    public string? ProtectedSecret { get; set; }

    public string? PendingSecret { get; set; }

    public long LastAcceptedStep { get; set; }

    public List<string> RecoveryCodeHashes { get; set; } = [];

    public SecondFactor ToFactor() => new()
    {
        AccountId = Id,
        ProtectedSecret = ProtectedSecret,
        PendingSecret = PendingSecret,
        LastAcceptedStep = LastAcceptedStep,
        RecoveryCodeHashes = [.. RecoveryCodeHashes],
    };

    /// <summary>
    /// Consumes <paramref name="proof"/> in this document if TOTP is on and the proof is unused: a TOTP step above the
    /// last accepted one becomes the last accepted one; a recovery code still listed is removed. The caller saves it.
    /// </summary>
    public bool TryConsume(SecondFactorProof proof)
    {
        if (ProtectedSecret is null) return false;
        if (proof.TotpStep is { } step)
        {
            if (step <= LastAcceptedStep) return false;
            LastAcceptedStep = step;
            return true;
        }
        return proof.RecoveryCodeHash is { } hash && RecoveryCodeHashes.Remove(hash); // List.Remove compares ordinally
    }
}
