using FastEndpoints;
using SliceAuth.Accounts;
using SliceAuth.Audit;
using SliceAuth.Auth;
using SliceAuth.Data;
using SliceAuth.Hardening;
using SliceAuth.Metrics;
using SliceAuth.Problems;
using SliceAuth.TwoFactor;

namespace SliceAuth.Features.LoginSecondFactor;

public sealed class Endpoint(ISecondFactorStore secondFactors, IAccountStore accounts, SecondFactorCheck check, PendingLoginCookie pendingCookie,
    SessionStore sessionStore, SessionCookies cookies, SessionExpiry expiry, AuditLog audit, SliceAuthMetrics metrics)
    : Endpoint<Request, Response>
{
    public override void Configure()
    {
        Post("/login/2fa");
        AllowAnonymous();
        Options(route => route.WithMetadata(new StartsNewSession()).RequireRateLimiting(ClientRateLimits.Login));
        Description(d => d.ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status429TooManyRequests));
        Summary(s =>
        {
            s.Summary = "Finish a login with the second factor and get a session cookie";
            s.Description = "After POST /login answered {twoFactorRequired: true}: the browser sends the pending cookie it set. " +
                "A code is accepted once; a recovery code works once and is then gone.";
            s.Responses[200] = "Logged in; the response sets the session cookie and clears the pending one.";
            s.Responses[401] = "A wrong, used or late code, or no live pending login (it lasts 5 minutes and works once): log in again.";
            s.Responses[429] = "Too many wrong codes for this account, or too many requests from this client; see Retry-After.";
            s.ExampleRequest = new Request { Code = "123456" };
        });
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        var pending = pendingCookie.ReadId(HttpContext) is { } id ? await secondFactors.FindPendingLoginAsync(id, expiry.Now()) : null;
        var user = pending is null ? null : await accounts.FindByIdAsync(pending.AccountId);
        var factor = user is null ? null : await secondFactors.FindAsync(user.Id);
        if (pending is null || user is null || factor?.Enabled != true)
        {
            metrics.Login(LoginOutcome.Failed);
            await Send.ResultAsync(Unauthorized("No login is waiting for a second factor here (it lasts 5 minutes and works once); log in again."));
            return;
        }

        // The pending login, the code and the new session are one commit: one code, one session, whatever races it.
        SessionStore.NewSession? session = null;
        var result = await check.CheckAsync(user.UsernameKey, factor, req.Code ?? req.RecoveryCode!, async proof =>
            (session = await sessionStore.StartAfterSecondFactorAsync(user.Id, user.Username, HttpContext,
                (record, now) => secondFactors.CompleteLoginAsync(pending.Id, now, proof, record))) is not null);

        if (result.Outcome == SecondFactorCheck.Outcome.Throttled)
        {
            metrics.Login(LoginOutcome.Throttled);
            audit.SecondFactorFailed(user.UsernameKey, HttpContext.ClientAddress());
            await Send.ResultAsync(ApiProblems.TooManyRequests(HttpContext, result.RetryAfter, "Too many wrong codes for this account."));
            return;
        }
        if (result.Outcome == SecondFactorCheck.Outcome.Invalid)
        {
            metrics.Login(LoginOutcome.Failed);
            audit.SecondFactorFailed(user.UsernameKey, HttpContext.ClientAddress());
            await Send.ResultAsync(Unauthorized("The code is wrong, was used already, or the login timed out."));
            return;
        }

        pendingCookie.Clear(HttpContext);
        var handle = cookies.Set(HttpContext, session!.Value);
        if (result.ByRecoveryCode)
            audit.RecoveryCodeUsed(user.UsernameKey, HttpContext.ClientAddress(), factor.RecoveryCodeHashes.Count - 1);
        audit.LoginSucceeded(user.UsernameKey, HttpContext.ClientAddress(), handle);
        metrics.Login(LoginOutcome.Succeeded);
        await Send.OkAsync(new Response { Username = user.Username }, ct);
    }

    private static IResult Unauthorized(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Second factor refused.", detail: detail);
}
