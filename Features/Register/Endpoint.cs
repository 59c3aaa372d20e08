using FastEndpoints;
using SliceAuth.Accounts;
using SliceAuth.Audit;
using SliceAuth.Auth;
using SliceAuth.Data;
using SliceAuth.Hardening;
using SliceAuth.Metrics;
using SliceAuth.OpenApi;

namespace SliceAuth.Features.Register;

public sealed class Endpoint(IAccountStore accounts, IPasswordHasher hasher, TimeProvider clock, AddressVerification verification,
    AuditLog audit, SliceAuthMetrics metrics) : Endpoint<Request, Response>
{
    public override void Configure()
    {
        Post("/register");
        AllowAnonymous();
        Options(route => route.RequireRateLimiting(ClientRateLimits.Register));
        // Answers 201, not FastEndpoints' default 200: the OpenAPI document shows what the route sends.
        Description(d => d
            .ClearDefaultProduces(StatusCodes.Status200OK)
            .Produces<Response>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status409Conflict));
        Summary(s =>
        {
            s.Summary = "Create an account";
            s.Description = "Registers a username, email and password, and mails a link that verifies the address. Does not log in.";
            s.Responses[201] = "The account was created.";
            s.Responses[409] = "The username (or one that looks the same) or the email is already registered.";
            s.Responses[429] = "Too many registrations from this client; see Retry-After.";
            s.Responses[503] = "Too busy checking passwords, or storage is unavailable for a moment; see Retry-After.";
            s.ExampleRequest = new Request { Username = ExampleAccount.Username, Email = ExampleAccount.Email, Password = ExampleAccount.Password };
        });
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        var user = new User
        {
            Id = Guid.NewGuid(),
            Username = Usernames.Clean(req.Username),
            UsernameKey = Usernames.Key(req.Username),
            UsernameLookalikeKey = Usernames.LookalikeKey(req.Username),
            Email = Emails.Clean(req.Email),
            EmailKey = Emails.Key(req.Email),
            PasswordHash = await hasher.HashAsync(req.Password),
            CredentialStamp = Guid.NewGuid(),
            CreatedAt = TruncateToMilliseconds(clock.GetUtcNow().UtcDateTime),
        };

        // The store's uniqueness decides (name, look-alike key, email), so simultaneous registrations of one name,
        // or of names that look alike, yield exactly one account.
        if (await accounts.TryAddAsync(user) != AddAccountResult.Added)
        {
            metrics.Registration(RegistrationOutcome.Conflict);
            // One body for both: which of the two is taken is not this caller's business.
            await Send.ResultAsync(TypedResults.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: "Username or email already registered.",
                detail: "Choose another username or email, or log in."));
            return;
        }

        audit.Registered(user.UsernameKey, HttpContext.ClientAddress());
        metrics.Registration(RegistrationOutcome.Created);
        await verification.TrySendAsync(user, HttpContext.ClientAddress());
        await Send.ResponseAsync(new Response
        {
            Id = user.Id,
            Username = user.Username,
            Email = user.Email,
            CreatedAt = user.CreatedAt,
        }, StatusCodes.Status201Created, ct);
    }

    // Stores keep milliseconds (LiteDB does): answer with what a later read returns.
    private static DateTime TruncateToMilliseconds(DateTime t) => t.AddTicks(-(t.Ticks % TimeSpan.TicksPerMillisecond));
}
