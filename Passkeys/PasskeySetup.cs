using Fido2NetLib;
using Microsoft.Extensions.Options;
using SliceAuth.Hosting;

namespace SliceAuth.Passkeys;

public static class PasskeySetup
{
    /// <summary>Passkeys (Passkeys:…, checked at start), the WebAuthn library configured from them, the ceremonies' challenges (expired ones go with the mailed-token purge).</summary>
    public static IServiceCollection AddPasskeys(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PasskeyOptions>()
            .BindChecked(configuration, PasskeyOptions.Section)
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<PasskeyOptions>, PasskeyOptionsValidator>();
        services.AddSingleton<IFido2>(provider =>
        {
            var options = provider.GetRequiredService<IOptions<PasskeyOptions>>().Value;
            // No metadata service: attestation is "none", so no authenticator model is checked against FIDO's list.
            return new Fido2(new Fido2Configuration
            {
                RPID = options.RelyingPartyId,
                RPName = options.RelyingPartyName,
                Origins = options.Origins.ToHashSet(StringComparer.Ordinal),
                Timeout = (uint)PasskeyChallenges.Lifetime.TotalMilliseconds,
            }, metadataService: null);
        });
        services.AddSingleton<PasskeyChallenges>();
        return services;
    }
}
