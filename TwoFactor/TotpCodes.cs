using OtpNet;

namespace SliceAuth.TwoFactor;

/// <summary>
/// Checks a 6-digit code against a secret: RFC 6238, SHA-1, 30-second steps, one step of clock skew either way,
/// with the time from the DI <see cref="TimeProvider"/>. Answers the step the code belongs to, so the store can
/// refuse that step (and every earlier one) from then on.
/// </summary>
public sealed class TotpCodes(TimeProvider clock)
{
    private static readonly VerificationWindow Window = new(previous: 1, future: 1);

    /// <summary>The matched step if the code is right now and later than <paramref name="lastAcceptedStep"/>; null otherwise.</summary>
    public long? Match(byte[] secret, string code, long lastAcceptedStep)
    {
        if (!IsCodeShape(code)) return null;
        var totp = new Totp(secret, step: 30, mode: OtpHashMode.Sha1, totpSize: 6);
        return totp.VerifyTotp(clock.GetUtcNow().UtcDateTime, code, out var step, Window) && step > lastAcceptedStep ? step : null;
    }

    /// <summary>Six ASCII digits: anything else is no TOTP code (and, where both are accepted, a recovery code).</summary>
    public static bool IsCodeShape(string? code) => code is { Length: 6 } && code.All(char.IsAsciiDigit);
}
