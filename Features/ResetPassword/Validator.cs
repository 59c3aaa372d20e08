using FastEndpoints;
using SliceAuth.Accounts;

namespace SliceAuth.Features.ResetPassword;

public sealed class Validator : Validator<Request>
{
    public Validator()
    {
        RuleFor(x => x.Token).PresentToken();
        // Length and common passwords here; whether it contains the account's own name is checked once the token says whose it is.
        RuleFor(x => x.NewPassword).ValidNewPassword(_ => (null, null));
    }
}
