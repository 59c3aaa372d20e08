using System.Buffers.Text;
using FluentValidation;

namespace SliceAuth.Passkeys;

/// <summary>
/// The shape of a browser's answer, checked before any of it is decoded: present, base64url, "public-key". Nested fields are
/// named as the JSON spells them (clientDataJSON), not as FluentValidation would from the C# path (ClientDataJson).
/// </summary>
internal static class CredentialRules
{
    public static void PublicKeyType<T>(this IRuleBuilder<T, string> rule) =>
        rule.Equal("public-key").WithMessage("Type must be \"public-key\".");

    public static IRuleBuilderOptions<T, string?> Base64Url<T>(this IRuleBuilder<T, string?> rule, string what) =>
        rule.NotEmpty().WithMessage($"{what} is required.")
            .Must(value => value is null || System.Buffers.Text.Base64Url.IsValid(value)).WithMessage($"{what} must be base64url.");
}

internal sealed class AttestationCredentialValidator : AbstractValidator<AttestationCredential>
{
    public AttestationCredentialValidator()
    {
        RuleFor(x => x.Id).Base64Url("The credential id");
        RuleFor(x => x.RawId).Base64Url("The raw credential id");
        RuleFor(x => x.Type).PublicKeyType();
        RuleFor(x => x.Response).NotNull().WithMessage("The response is required.");
        RuleFor(x => x.Response.ClientDataJson).Base64Url("clientDataJSON").When(x => x.Response is not null).OverridePropertyName("response.clientDataJSON");
        RuleFor(x => x.Response.AttestationObject).Base64Url("The attestation object").When(x => x.Response is not null)
            .OverridePropertyName("response.attestationObject");
    }
}

internal sealed class AssertionCredentialValidator : AbstractValidator<AssertionCredential>
{
    public AssertionCredentialValidator()
    {
        RuleFor(x => x.Id).Base64Url("The credential id");
        RuleFor(x => x.RawId).Base64Url("The raw credential id");
        RuleFor(x => x.Type).PublicKeyType();
        RuleFor(x => x.Response).NotNull().WithMessage("The response is required.");
        RuleFor(x => x.Response.ClientDataJson).Base64Url("clientDataJSON").When(x => x.Response is not null).OverridePropertyName("response.clientDataJSON");
        RuleFor(x => x.Response.AuthenticatorData).Base64Url("The authenticator data").When(x => x.Response is not null)
            .OverridePropertyName("response.authenticatorData");
        RuleFor(x => x.Response.Signature).Base64Url("The signature").When(x => x.Response is not null).OverridePropertyName("response.signature");
        RuleFor(x => x.Response.UserHandle).Must(v => v is null || System.Buffers.Text.Base64Url.IsValid(v))
            .WithMessage("The user handle must be base64url.").When(x => x.Response is not null).OverridePropertyName("response.userHandle");
    }
}
