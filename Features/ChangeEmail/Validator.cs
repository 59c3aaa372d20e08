using FastEndpoints;
using FluentValidation;
using SliceAuth.Accounts;

namespace SliceAuth.Features.ChangeEmail;

public sealed class Validator : Validator<Request>
{
    public Validator()
    {
        RuleFor(x => x.Password).NotEmpty().WithMessage("The password is required.");
        RuleFor(x => x.NewEmail).ValidEmail();
    }
}
