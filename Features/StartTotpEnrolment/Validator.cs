using FastEndpoints;
using FluentValidation;

namespace SliceAuth.Features.StartTotpEnrolment;

public sealed class Validator : Validator<Request>
{
    public Validator()
    {
        RuleFor(x => x.Password).NotEmpty().WithMessage("The current password is required.");
    }
}
