using FastEndpoints;
using Microsoft.Extensions.Options;
using Microsoft.AspNetCore.Authentication;
using SliceAuth.Accounts;
using SliceAuth.Audit;
using SliceAuth.Auth;
using SliceAuth.Data;
using SliceAuth.Hardening;
using SliceAuth.Metrics;
using SliceAuth.OpenApi;
using SliceAuth.Problems;
using SliceAuth.TwoFactor;

namespace SliceAuth.Features.Login;

public sealed class Endpoint(IAccountStore accounts, PasswordCheck passwords, IPasswordHasher hasher, SessionStore sessionStore,
    SessionCookies cookies, IOptions<AccountEmailOptions> accountOptions, AddressVerification verification, AuditLog audit,
    SliceAuthMetrics metrics, ISecondFactorStore secondFactors, PendingLoginCookie pendingCookie, SessionExpiry expiry)
    : Endpoint<Request, Response>
{
    public override void Configure()
    {
        Post("/login");
        AllowAnonymous();
        Options(route => route.WithMetadata(new StartsNewSession()).RequireRateLimiting(ClientRateLimits.Login));
        Description(d => d.ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status429TooManyRequests));
        Summary(s =>
        {
            s.Summary = "Log in and get a session cookie";
            s.Description = "Starts a new session. A session cookie sent with the request is revoked, whatever the outcome. " +
                "For an account with TOTP on, the right password is only the first step: the answer is {\"twoFactorRequired\": true} " +
                "with a pending cookie (no session, 5 minutes), and POST /login/2fa with a code completes the login.";
            s.Responses[200] = "Logged in: {username} and the session cookie. Or, for an account with TOTP on: {twoFactorRequired: true}, " +
                "username null, a pending cookie and no session; send the code to POST /login/2fa.";
            s.Responses[401] = "Unknown username or wrong password (the same answer for both).";
            s.Responses[403] = "Right password, but the address is not verified yet and Accounts:RequireVerifiedEmail is on; a new link is mailed.";
            s.Responses[429] = "Too many failed attempts for this account, or too many requests from this client; see Retry-After.";
            s.Responses[503] = "Too busy checking passwords, or storage is unavailable for a moment; see Retry-After.";
            s.ExampleRequest = new Request { Username = ExampleAccount.Username, Password = ExampleAccount.Password };
        });
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        var usernameKey = Usernames.Key(req.Username);
        var user = await accounts.FindByUsernameKeyAsync(usernameKey);

        var check = await passwords.CheckAsync(usernameKey, user, req.Password);
        if (check.Outcome == PasswordCheck.Outcome.Throttled)
        {
            metrics.Login(LoginOutcome.Throttled);
            await Refuse(usernameKey, ApiProblems.TooManyRequests(HttpContext, check.RetryAfter, "Too many failed login attempts for this account."));
            return;
        }
        if (check.Outcome == PasswordCheck.Outcome.Invalid)
        {
            metrics.Login(LoginOutcome.Failed);
            await Refuse(usernameKey, InvalidCredentials());
            return;
        }

        // Only now, with the password right: an unverified address says nothing to someone guessing. Without a
        // session the owner could not ask for another link, so the refusal sends one (within the mail limits).
        if (accountOptions.Value.RequireVerifiedEmail && !user!.EmailVerified)
        {
            await verification.TrySendAsync(user, HttpContext.ClientAddress());
            metrics.Login(LoginOutcome.Unverified);
            await Refuse(usernameKey, TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Email address not verified.",
                detail: "A new verification link was mailed to the account's address (a few per hour at most); open it, then log in."));
            return;
        }

        // TOTP on: the password opens nothing yet, only a pending login that waits for the code (POST /login/2fa).
        if ((await secondFactors.FindAsync(user!.Id))?.Enabled == true)
        {
            await AwaitSecondFactor(user, usernameKey);
            return;
        }

        // The work factor was raised since this password was hashed: upgrade it while we have the password.
        var upgradedHash = hasher.NeedsRehash(user!.PasswordHash) ? await hasher.HashAsync(req.Password) : null;

        // A new session with a new token, stored only if the account still has the password just verified: a
        // password change or a deletion that committed during the check wins, and this login gets 401.
        if (await sessionStore.StartVerifiedAsync(user, HttpContext, upgradedHash) is not { } session)
        {
            metrics.Login(LoginOutcome.Failed);
            await Refuse(usernameKey, InvalidCredentials());
            return;
        }
        var handle = cookies.Set(HttpContext, session);
        audit.LoginSucceeded(usernameKey, HttpContext.ClientAddress(), handle);
        metrics.Login(LoginOutcome.Succeeded);
        await Send.OkAsync(new Response { Username = user.Username }, ct);
    }

    private async Task AwaitSecondFactor(User user, string usernameKey)
    {
        // The presented session is already revoked (StartsNewSession); its cookie goes too, as on any login.
        await HttpContext.SignOutAsync(AuthSetup.Scheme);
        var (token, id) = PendingLoginCookie.Create();
        var now = expiry.Now();
        await secondFactors.AddPendingLoginAsync(new PendingLogin
        {
            Id = id,
            AccountId = user.Id,
            CredentialStamp = user.CredentialStamp,
            CreatedAt = now,
            ExpiresAt = now + PendingLoginCookie.Lifetime,
            UserAgent = HttpContext.Request.Headers.UserAgent.ToString() is { Length: > 0 } agent ? agent[..Math.Min(agent.Length, 512)] : null,
            IpAddress = HttpContext.ClientAddress(),
        });
        pendingCookie.Set(HttpContext, token);
        audit.SecondFactorRequired(usernameKey, HttpContext.ClientAddress());
        metrics.Login(LoginOutcome.SecondFactorRequired);
        await Send.OkAsync(new Response { Username = null, TwoFactorRequired = true });
    }

    private async Task Refuse(string usernameKey, IResult problem)
    {
        // The presented session is already revoked (StartsNewSession); clear its cookie too.
        await HttpContext.SignOutAsync(AuthSetup.Scheme);
        audit.LoginFailed(usernameKey, HttpContext.ClientAddress());
        await Send.ResultAsync(problem);
    }

    private static IResult InvalidCredentials() =>
        TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Invalid username or password.");
}
