using FastEndpoints;
using SliceAuth.Accounts;
using SliceAuth.Audit;
using SliceAuth.OpenApi;

namespace SliceAuth.Features.ForgotPassword;

public sealed class Endpoint(ResetRequests requests) : Endpoint<Request>
{
    public override void Configure()
    {
        Post("/password/forgot");
        AllowAnonymous();
        Description(d => d.ClearDefaultProduces(StatusCodes.Status200OK).Produces(StatusCodes.Status202Accepted));
        Summary(s =>
        {
            s.Summary = "Mail a password reset link to the account with this address, if there is one";
            s.Description = "Always the same answer, whether or not an account has the address and whether or not a mail goes out. " +
                "The link works once, for Accounts:ResetTokenLifetime (30 minutes by default), and dies when the password changes. " +
                "At most Accounts:MailsPerAddress mails per address and Accounts:MailsPerClient per client within Accounts:MailWindow.";
            s.Responses[202] = "Accepted; if an account has this address, a mail is on its way.";
            s.ExampleRequest = new Request { Email = ExampleAccount.Email };
        });
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        // Looked up and mailed after the answer, off the request: nothing the caller sees, its timing included,
        // depends on whether the address has an account or a limit was reached.
        requests.Enqueue(Emails.Key(req.Email), HttpContext.ClientAddress());
        await Send.StatusCodeAsync(StatusCodes.Status202Accepted, ct);
    }
}
