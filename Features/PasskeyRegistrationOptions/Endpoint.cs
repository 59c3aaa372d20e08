using System.Text.Json;
using FastEndpoints;
using Fido2NetLib;
using Fido2NetLib.Objects;
using SliceAuth.Auth;
using SliceAuth.Data;
using SliceAuth.Passkeys;

namespace SliceAuth.Features.PasskeyRegistrationOptions;

public sealed class Endpoint(IFido2 fido2, IPasskeyStore passkeys, PasskeyChallenges challenges) : EndpointWithoutRequest<Response>
{
    // ES256 first: Chromium's virtual authenticator (and most platform ones) take the first algorithm they support.
    private static readonly IReadOnlyList<PubKeyCredParam> Algorithms = [PubKeyCredParam.ES256, PubKeyCredParam.RS256, PubKeyCredParam.Ed25519];

    public override void Configure()
    {
        Post("/me/passkeys/options");
        Summary(s =>
        {
            s.Summary = "Start adding a passkey: the options for navigator.credentials.create()";
            s.Description = "Pass `publicKey` to PublicKeyCredential.parseCreationOptionsFromJSON(), create the credential, then POST " +
                "its toJSON() to /me/passkeys within 5 minutes. The passkey is discoverable and verifies the user.";
            s.Responses[200] = "Creation options with a new single-use challenge, bound to this account.";
        });
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        var accountId = User.UserId();
        var existing = await passkeys.ListByAccountAsync(accountId);
        var options = fido2.RequestNewCredential(new RequestNewCredentialParams
        {
            User = new Fido2User { Id = UserHandles.Of(accountId), Name = User.Username(), DisplayName = User.Username() },
            // The authenticator refuses to make a second passkey for an account it already holds one for.
            ExcludeCredentials = existing.Select(p => new PublicKeyCredentialDescriptor(p.CredentialId)).ToList(),
            AuthenticatorSelection = new AuthenticatorSelection
            {
                ResidentKey = ResidentKeyRequirement.Required,
                UserVerification = UserVerificationRequirement.Required,
            },
            AttestationPreference = AttestationConveyancePreference.None,
            PubKeyCredParams = Algorithms,
        });
        var json = options.ToJson();
        await challenges.IssueAsync(options.Challenge, WebAuthnCeremony.Registration, accountId, json);
        await Send.OkAsync(new Response { PublicKey = JsonDocument.Parse(json).RootElement.Clone() }, ct);
    }
}
