using FastEndpoints;
using SliceAuth.Accounts;

namespace SliceAuth.Features.ForgotPassword;

public sealed class Validator : Validator<Request>
{
    public Validator() => RuleFor(x => x.Email).ValidEmail();
}
