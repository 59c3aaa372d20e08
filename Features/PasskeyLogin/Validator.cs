using FastEndpoints;
using FluentValidation;
using SliceAuth.Passkeys;

namespace SliceAuth.Features.PasskeyLogin;

public sealed class Validator : Validator<Request>
{
    public Validator()
    {
        RuleFor(x => x.Credential).NotNull().WithMessage("Credential is required.")
            .SetValidator(new AssertionCredentialValidator());
    }
}
