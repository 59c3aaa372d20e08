using FastEndpoints;
using Microsoft.AspNetCore.Authentication;
using SliceAuth.Accounts;
using SliceAuth.Audit;
using SliceAuth.Auth;
using SliceAuth.Data;
using SliceAuth.Hardening;
using SliceAuth.OpenApi;
using SliceAuth.Problems;

namespace SliceAuth.Features.Login;

public sealed class Endpoint(AppDatabase db, PasswordCheck passwords, PasswordHasher hasher, SessionCookies sessions, AuditLog audit)
    : Endpoint<Request, Response>
{
    public override void Configure()
    {
        Post("/login");
        AllowAnonymous();
        Options(route => route.WithMetadata(new StartsNewSession()).RequireRateLimiting(ClientRateLimits.Login));
        Description(d => d.ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status429TooManyRequests));
        Summary(s =>
        {
            s.Summary = "Log in and get a session cookie";
            s.Description = "Starts a new session. A session cookie sent with the request is revoked, whatever the outcome.";
            s.Responses[200] = "Logged in; the response sets the session cookie.";
            s.Responses[401] = "Unknown username or wrong password (the same answer for both).";
            s.Responses[429] = "Too many failed attempts for this account, or too many requests from this client; see Retry-After.";
            s.Responses[503] = "Too busy checking passwords, or storage is unavailable for a moment; see Retry-After.";
            s.ExampleRequest = new Request { Username = ExampleAccount.Username, Password = ExampleAccount.Password };
        });
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        var usernameKey = Usernames.Key(req.Username);
        var user = db.Users.FindOne(u => u.UsernameKey == usernameKey);

        var check = await passwords.CheckAsync(usernameKey, user, req.Password);
        if (check.Outcome != PasswordCheck.Outcome.Valid)
        {
            // The presented session is already revoked (StartsNewSession); clear its cookie too.
            await HttpContext.SignOutAsync(AuthSetup.Scheme);
            audit.LoginFailed(usernameKey, HttpContext.ClientAddress());
            if (check.Outcome == PasswordCheck.Outcome.Throttled)
                await Send.ResultAsync(ApiProblems.TooManyRequests(HttpContext, check.RetryAfter, "Too many failed login attempts for this account."));
            else
                await Send.ResultAsync(TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Invalid username or password."));
            return;
        }

        if (hasher.NeedsRehash(user!.PasswordHash))
        {
            // The work factor was raised since this password was hashed: upgrade it while we have the password.
            user.PasswordHash = await hasher.HashAsync(req.Password);
            db.Write(d => d.Users.Update(user));
        }

        // A new session with a new token; any session presented here was revoked before this ran.
        var handle = sessions.Start(HttpContext, user.Id, user.Username);
        audit.LoginSucceeded(usernameKey, HttpContext.ClientAddress(), handle);
        await Send.OkAsync(new Response { Username = user.Username }, ct);
    }
}
