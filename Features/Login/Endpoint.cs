using FastEndpoints;
using Microsoft.AspNetCore.Authentication;
using SliceAuth.Accounts;
using SliceAuth.Auth;
using SliceAuth.Data;

namespace SliceAuth.Features.Login;

public sealed class Endpoint(AppDatabase db, PasswordHasher hasher) : Endpoint<Request, Response>
{
    public override void Configure()
    {
        Post("/login");
        AllowAnonymous();
        Description(d => d.ProducesProblem(StatusCodes.Status401Unauthorized));
        Summary(s =>
        {
            s.Summary = "Log in and get a session cookie";
            s.Description = "Starts a new session. A session cookie sent with the request is revoked, whatever the outcome.";
            s.Responses[200] = "Logged in; the response sets the session cookie.";
            s.Responses[401] = "Unknown username or wrong password (the same answer for both).";
        });
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        var user = db.Users.FindOne(u => u.UsernameKey == Usernames.Key(req.Username));

        if (!PasswordMatches(user, req.Password))
        {
            // A failed attempt ends a session the caller presented, as a successful one replaces it.
            if (User.Identity?.IsAuthenticated == true) await HttpContext.SignOutAsync(AuthSetup.Scheme);
            await Send.ResultAsync(TypedResults.Problem(
                statusCode: StatusCodes.Status401Unauthorized,
                title: "Invalid username or password."));
            return;
        }

        if (hasher.NeedsRehash(user.PasswordHash))
        {
            // The work factor was raised since this password was hashed: upgrade it while we have the password.
            user.PasswordHash = hasher.Hash(req.Password);
            db.Users.Update(user);
        }

        // The cookie handler revokes the session this request came with and stores a new one.
        await HttpContext.SignInAsync(AuthSetup.Scheme, SessionClaims.For(user.Id, user.Username));
        await Send.OkAsync(new Response { Username = user.Username }, ct);
    }

    private bool PasswordMatches([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] User? user, string password)
    {
        if (user is not null) return hasher.Verify(password, user.PasswordHash);
        hasher.VerifyDecoy(password); // an unknown name costs the same bcrypt work as a wrong password
        return false;
    }
}
