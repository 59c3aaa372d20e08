using FastEndpoints;
using Fido2NetLib;
using Fido2NetLib.Objects;
using SliceAuth.Accounts;
using SliceAuth.Audit;
using SliceAuth.Auth;
using SliceAuth.Data;
using SliceAuth.Email;
using SliceAuth.Passkeys;

namespace SliceAuth.Features.AddPasskey;

public sealed class Endpoint(IFido2 fido2, IPasskeyStore passkeys, IAccountStore accounts, PasskeyChallenges challenges,
    AuditLog audit, AccountMail mail) : Endpoint<Request, Response>
{
    public override void Configure()
    {
        Post("/me/passkeys");
        // Answers 201, not FastEndpoints' default 200: the OpenAPI document shows what the route sends.
        Description(d => d.ClearDefaultProduces(StatusCodes.Status200OK).Produces<Response>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest));
        Summary(s =>
        {
            s.Summary = "Add a passkey: verify the authenticator's answer and store the credential";
            s.Description = "The answer must come from one of Passkeys:Origins, for Passkeys:RelyingPartyId, with user verification, " +
                "to a live challenge from POST /me/passkeys/options asked by this account. Each challenge works once.";
            s.Responses[201] = "Stored; the account's owner is mailed a notice.";
            s.Responses[400] = "Malformed input, or the answer was refused (unknown, used or expired challenge; wrong origin or RP ID; " +
                "no user verification; a passkey registered already); nothing stored.";
            // The shape a browser's PublicKeyCredential.toJSON() writes; only a real authenticator's answer is accepted.
            s.ExampleRequest = new Request { Name = "laptop", Credential = PasskeyExamples.Attestation };
        });
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        var accountId = User.UserId();
        var usernameKey = Usernames.Key(User.Username());
        var answer = req.Credential.ToFido2();

        // Taken first: the challenge is spent whatever the verdict, so an answer can never be tried twice.
        var challenge = await challenges.TakeAsync(answer.Response.ClientDataJson, WebAuthnCeremony.Registration);
        if (challenge is null || challenge.AccountId != accountId)
        {
            await Refuse(usernameKey, "the challenge is unknown, used, expired or not this account's; ask for new options");
            return;
        }

        RegisteredPublicKeyCredential credential;
        try
        {
            credential = await fido2.MakeNewCredentialAsync(new MakeNewCredentialParams
            {
                AttestationResponse = answer,
                OriginalOptions = CredentialCreateOptions.FromJson(challenge.OptionsJson),
                IsCredentialIdUniqueToUserCallback = async (args, _) => await passkeys.FindByCredentialIdAsync(args.CredentialId) is null,
            }, ct);
        }
        catch (Exception e) when (PasskeyProblems.IsRefusal(e))
        {
            await Refuse(usernameKey, PasskeyProblems.Reason(e));
            return;
        }

        var passkey = new Passkey
        {
            Id = Guid.NewGuid(),
            AccountId = accountId,
            CredentialId = credential.Id,
            PublicKey = credential.PublicKey,
            SignCount = credential.SignCount,
            Name = req.Name.Trim(),
            CreatedAt = challenges.Now(),
        };
        // The store decides uniqueness atomically: two accounts racing with one credential id get one passkey.
        if (!await passkeys.TryAddAsync(passkey))
        {
            await Refuse(usernameKey, "this passkey is registered already");
            return;
        }

        audit.PasskeyAdded(usernameKey, HttpContext.ClientAddress(), User.SessionHandle(), passkey.Id);
        if (await accounts.FindByIdAsync(accountId) is { } account) mail.PasskeyAdded(account, passkey.Name);
        await Send.ResponseAsync(new Response { Id = passkey.Id, Name = passkey.Name, CreatedAt = passkey.CreatedAt }, StatusCodes.Status201Created, ct);
    }

    private async Task Refuse(string usernameKey, string reason)
    {
        audit.PasskeyRegistrationRefused(usernameKey, HttpContext.ClientAddress(), reason);
        await Send.ResultAsync(PasskeyProblems.RegistrationRefused(reason));
    }
}
