using FastEndpoints;
using FluentValidation;
using SliceAuth.Accounts;

namespace SliceAuth.Features.ChangePassword;

/// <summary>The account's own name is checked in the endpoint, which knows the account.</summary>
public sealed class Validator : Validator<Request>
{
    public Validator()
    {
        RuleFor(x => x.CurrentPassword).NotEmpty().WithMessage("The current password is required.");
        RuleFor(x => x.NewPassword).ValidNewPassword(_ => (null, null));
    }
}
