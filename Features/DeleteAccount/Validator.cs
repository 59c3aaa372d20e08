using FastEndpoints;
using FluentValidation;

namespace SliceAuth.Features.DeleteAccount;

public sealed class Validator : Validator<Request>
{
    public Validator() => RuleFor(x => x.Password).NotEmpty().WithMessage("The password is required.");
}
