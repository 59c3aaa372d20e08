using System.Text.Json;
using FastEndpoints;
using Fido2NetLib;
using Fido2NetLib.Objects;
using SliceAuth.Data;
using SliceAuth.Hardening;
using SliceAuth.Passkeys;

namespace SliceAuth.Features.PasskeyLoginOptions;

public sealed class Endpoint(IFido2 fido2, PasskeyChallenges challenges) : EndpointWithoutRequest<Response>
{
    public override void Configure()
    {
        Post("/login/passkey/options");
        AllowAnonymous();
        // Each call stores a challenge: limited per client like the login it leads to.
        Options(route => route.RequireRateLimiting(ClientRateLimits.Login));
        Description(d => d.ProducesProblem(StatusCodes.Status429TooManyRequests));
        Summary(s =>
        {
            s.Summary = "Start a passkey login: the options for navigator.credentials.get()";
            s.Description = "No username needed: the browser offers the passkeys it holds for this site. Pass `publicKey` to " +
                "PublicKeyCredential.parseRequestOptionsFromJSON(), get the assertion, then POST its toJSON() to /login/passkey within 5 minutes.";
            s.Responses[200] = "Request options with a new single-use challenge.";
            s.Responses[429] = "Too many requests from this client; see Retry-After.";
        });
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        // Discoverable credentials: no allow list, so nothing here says which accounts have passkeys.
        var options = fido2.GetAssertionOptions(new GetAssertionOptionsParams
        {
            AllowedCredentials = [],
            UserVerification = UserVerificationRequirement.Required,
        });
        var json = options.ToJson();
        await challenges.IssueAsync(options.Challenge, WebAuthnCeremony.Login, accountId: null, json);
        await Send.OkAsync(new Response { PublicKey = JsonDocument.Parse(json).RootElement.Clone() }, ct);
    }
}
