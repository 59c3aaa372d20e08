using FastEndpoints;
using FluentValidation;
using SliceAuth.Passkeys;

namespace SliceAuth.Features.AddPasskey;

public sealed class Validator : Validator<Request>
{
    public const int MaxNameLength = 64;

    public Validator()
    {
        RuleFor(x => x.Name).Must(n => n is not null && n.Trim().Length is > 0 and <= MaxNameLength)
            .WithMessage($"Name must be 1 to {MaxNameLength} characters.")
            .Must(n => n is null || !n.Any(char.IsControl)).WithMessage("Name must not contain control characters.");
        RuleFor(x => x.Credential).NotNull().WithMessage("Credential is required.")
            .SetValidator(new AttestationCredentialValidator());
    }
}
