using FastEndpoints;
using Fido2NetLib;
using Fido2NetLib.Exceptions;
using Fido2NetLib.Objects;
using Microsoft.AspNetCore.Authentication;
using SliceAuth.Accounts;
using SliceAuth.Audit;
using SliceAuth.Auth;
using SliceAuth.Data;
using SliceAuth.Hardening;
using SliceAuth.Metrics;
using SliceAuth.Passkeys;

namespace SliceAuth.Features.PasskeyLogin;

public sealed class Endpoint(IFido2 fido2, IPasskeyStore passkeys, IAccountStore accounts, PasskeyChallenges challenges,
    SessionStore sessionStore, SessionCookies cookies, AuditLog audit, SliceAuthMetrics metrics) : Endpoint<Request, Response>
{
    public override void Configure()
    {
        Post("/login/passkey");
        AllowAnonymous();
        Options(route => route.WithMetadata(new StartsNewSession()).RequireRateLimiting(ClientRateLimits.Login));
        Description(d => d.ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status429TooManyRequests));
        Summary(s =>
        {
            s.Summary = "Log in with a passkey and get a session cookie";
            s.Description = "Verifies the assertion (challenge from POST /login/passkey/options, origin, RP ID, signature, user " +
                "verification, signature counter) and starts a session exactly as POST /login does: a complete login, a second " +
                "factor included. A session cookie sent with the request is revoked, whatever the outcome.";
            s.Responses[200] = "Logged in; the response sets the session cookie.";
            s.Responses[401] = "The assertion was refused (unknown, used or expired challenge; unknown passkey; wrong origin, RP ID, " +
                "signature or user; no user verification; a counter that did not move forward).";
            s.Responses[429] = "Too many requests from this client; see Retry-After.";
            // The shape a browser's PublicKeyCredential.toJSON() writes; only a real authenticator's answer is accepted.
            s.ExampleRequest = new Request { Credential = PasskeyExamples.Assertion };
        });
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        var answer = req.Credential.ToFido2();

        // Taken first and atomically: of any number of requests carrying one assertion, one gets the challenge.
        var challenge = await challenges.TakeAsync(answer.Response.ClientDataJson, WebAuthnCeremony.Login);
        if (challenge is null)
        {
            await Refuse("the challenge is unknown, used or expired; ask for new options");
            return;
        }
        if (await passkeys.FindByCredentialIdAsync(answer.RawId) is not { } passkey)
        {
            await Refuse("no account has this passkey");
            return;
        }

        VerifyAssertionResult verified;
        try
        {
            verified = await fido2.MakeAssertionAsync(new MakeAssertionParams
            {
                AssertionResponse = answer,
                OriginalOptions = AssertionOptions.FromJson(challenge.OptionsJson),
                StoredPublicKey = passkey.PublicKey,
                StoredSignatureCounter = passkey.SignCount,
                // A discoverable passkey names its account: it must be the one the credential id was registered to.
                IsUserHandleOwnerOfCredentialIdCallback = (args, _) =>
                    Task.FromResult(UserHandles.Matches(args.UserHandle, passkey.AccountId) && args.CredentialId.AsSpan().SequenceEqual(passkey.CredentialId)),
            }, ct);
        }
        catch (Fido2VerificationException e) when (e.Code == Fido2ErrorCode.InvalidSignCount)
        {
            audit.PasskeyCloneSuspected(passkey.AccountId, HttpContext.ClientAddress(), passkey.Id);
            await Refuse(PasskeyProblems.Reason(e));
            return;
        }
        catch (Exception e) when (PasskeyProblems.IsRefusal(e))
        {
            await Refuse(PasskeyProblems.Reason(e));
            return;
        }

        // The library compared with the counter as read; the store moves it forward only from that value or below,
        // so a cloned key used at the same moment as the original still loses.
        if (!await passkeys.TryRecordUseAsync(passkey.Id, verified.SignCount, challenges.Now()))
        {
            audit.PasskeyCloneSuspected(passkey.AccountId, HttpContext.ClientAddress(), passkey.Id);
            await Refuse("the signature counter did not move forward (cloned authenticator suspected)");
            return;
        }

        // As a password login: stored only if the account still exists (StartVerifiedAsync checks its stamp).
        if (await accounts.FindByIdAsync(passkey.AccountId) is not { } user
            || await sessionStore.StartVerifiedAsync(user, HttpContext) is not { } session)
        {
            await Refuse("the account no longer exists");
            return;
        }
        var handle = cookies.Set(HttpContext, session);
        audit.PasskeyLoginSucceeded(user.UsernameKey, HttpContext.ClientAddress(), handle, passkey.Id);
        metrics.Login(LoginOutcome.Succeeded);
        await Send.OkAsync(new Response { Username = user.Username }, ct);
    }

    private async Task Refuse(string reason)
    {
        // The presented session is already revoked (StartsNewSession); clear its cookie too.
        await HttpContext.SignOutAsync(AuthSetup.Scheme);
        audit.PasskeyLoginFailed(HttpContext.ClientAddress(), reason);
        metrics.Login(LoginOutcome.Failed);
        await Send.ResultAsync(PasskeyProblems.LoginRefused(reason));
    }
}
