using Fido2NetLib;
using Fido2NetLib.Exceptions;
using SliceAuth.Data;

namespace SliceAuth.Passkeys;

/// <summary>What a refused ceremony answers: one problem with a title a person can act on; never the library's stack.</summary>
public static class PasskeyProblems
{
    /// <summary>
    /// Whether an exception out of the WebAuthn library's verification is its verdict on the answer: anything but a
    /// cancellation or our storage failing (its callbacks read the store; that stays a 503). The library also throws
    /// plain CBOR, format and argument exceptions for answers it cannot parse, and none of them may become a 500.
    /// </summary>
    public static bool IsRefusal(Exception e) => e is not (OperationCanceledException or StorageUnavailableException);

    /// <summary>Why the answer was refused, in words (also the audit's reason).</summary>
    public static string Reason(Exception e) => e is Fido2VerificationException fido ? fido.Code switch
    {
        Fido2ErrorCode.InvalidAuthenticatorResponseOrigin or Fido2ErrorCode.CrossOriginRequestNotAllowed
            or Fido2ErrorCode.InvalidAuthenticatorResponseTopOrigin => "the page's origin is not one this service accepts",
        Fido2ErrorCode.InvalidRpidHash => "the passkey is for another relying party (RP ID)",
        Fido2ErrorCode.InvalidSignature => "the signature does not verify",
        Fido2ErrorCode.InvalidSignCount => "the signature counter did not move forward (cloned authenticator suspected)",
        Fido2ErrorCode.UserVerificationRequirementNotMet => "the authenticator did not verify the user (PIN or biometrics)",
        Fido2ErrorCode.UserPresentFlagNotSet => "the authenticator did not confirm the user was present",
        Fido2ErrorCode.InvalidAuthenticatorResponseChallenge or Fido2ErrorCode.MissingAuthenticatorResponseChallenge
            => "the answer is for another challenge",
        Fido2ErrorCode.NonUniqueCredentialId => "this passkey is registered already",
        Fido2ErrorCode.InvalidAuthenticatorResponse => "the answer is not of this ceremony",
        _ => "the authenticator's answer is not valid",
    } : "the authenticator's answer could not be read";

    public static IResult RegistrationRefused(string reason) =>
        TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Passkey not added.", detail: Capital(reason) + ".");

    public static IResult LoginRefused(string reason) =>
        TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Passkey login failed.", detail: Capital(reason) + ".");

    private static string Capital(string reason) => char.ToUpperInvariant(reason[0]) + reason[1..];
}
