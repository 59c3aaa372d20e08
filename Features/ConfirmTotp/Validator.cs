using FastEndpoints;
using FluentValidation;
using SliceAuth.TwoFactor;

namespace SliceAuth.Features.ConfirmTotp;

public sealed class Validator : Validator<Request>
{
    public Validator()
    {
        RuleFor(x => x.Code).Must(TotpCodes.IsCodeShape).WithMessage("The code is the 6 digits the authenticator app shows.");
    }
}
