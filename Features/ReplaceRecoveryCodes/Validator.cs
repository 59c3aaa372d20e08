using FastEndpoints;
using FluentValidation;

namespace SliceAuth.Features.ReplaceRecoveryCodes;

public sealed class Validator : Validator<Request>
{
    public Validator()
    {
        RuleFor(x => x.Password).NotEmpty().WithMessage("The current password is required.");
        RuleFor(x => x.Code).NotEmpty().MaximumLength(64)
            .WithMessage("The code is the 6 digits the authenticator app shows, or a recovery code.");
    }
}
