using FastEndpoints;
using SliceAuth.Accounts;

namespace SliceAuth.Features.VerifyEmail;

public sealed class Validator : Validator<Request>
{
    public Validator() => RuleFor(x => x.Token).PresentToken();
}
