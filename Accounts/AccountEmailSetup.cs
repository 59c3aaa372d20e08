using Microsoft.Extensions.Options;
using SliceAuth.Features.ForgotPassword;
using SliceAuth.Hosting;

namespace SliceAuth.Accounts;

public static class AccountEmailSetup
{
    /// <summary>The mailed-link flows: options (Accounts:…), tokens, mail limits, the reset queue and their housekeeping.</summary>
    public static IServiceCollection AddAccountEmail(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AccountEmailOptions>()
            .BindChecked(configuration, AccountEmailOptions.Section)
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<AccountEmailOptions>, AccountEmailOptionsValidator>();
        services.AddSingleton<MailedTokens>();
        services.AddSingleton<MailAllowance>();
        services.AddSingleton<AddressVerification>();
        services.AddSingleton<ResetRequests>();
        services.AddHostedService(sp => sp.GetRequiredService<ResetRequests>());
        services.AddHostedService<MailedTokenPurger>();
        return services;
    }
}
