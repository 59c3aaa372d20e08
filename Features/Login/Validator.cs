using FastEndpoints;
using FluentValidation;

namespace SliceAuth.Features.Login;

/// <summary>Only presence: the registration rules are not repeated here, so a login reveals nothing about them.</summary>
public sealed class Validator : Validator<Request>
{
    public Validator()
    {
        RuleFor(x => x.Username).NotEmpty().WithMessage("Username is required.");
        RuleFor(x => x.Password).NotEmpty().WithMessage("Password is required.");
    }
}
