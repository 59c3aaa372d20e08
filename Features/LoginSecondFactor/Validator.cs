using FastEndpoints;
using FluentValidation;
using SliceAuth.TwoFactor;

namespace SliceAuth.Features.LoginSecondFactor;

public sealed class Validator : Validator<Request>
{
    public Validator()
    {
        RuleFor(x => x.Code).Must((req, code) => code is null ^ req.RecoveryCode is null)
            .WithMessage("Send either code or recoveryCode.");
        RuleFor(x => x.Code).Must(TotpCodes.IsCodeShape).When(x => x.Code is not null)
            .WithMessage("The code is the 6 digits the authenticator app shows.");
        RuleFor(x => x.RecoveryCode).NotEmpty().MaximumLength(64).When(x => x.RecoveryCode is not null)
            .WithMessage("A recovery code is 16 letters and digits (dashes and spaces are ignored).");
    }
}
