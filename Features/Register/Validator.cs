using FastEndpoints;
using SliceAuth.Accounts;

namespace SliceAuth.Features.Register;

public sealed class Validator : Validator<Request>
{
    public Validator()
    {
        RuleFor(x => x.Username).ValidUsername();
        RuleFor(x => x.Email).ValidEmail();
        RuleFor(x => x.Password).ValidNewPassword(x => (x.Username, x.Email));
    }
}
