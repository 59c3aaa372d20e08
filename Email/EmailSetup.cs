using Microsoft.Extensions.Options;
using SliceAuth.Hosting;

namespace SliceAuth.Email;

public static class EmailSetup
{
    /// <summary>
    /// Account mail: <see cref="AccountMail"/> for the flows, a bounded queue and its sender, and the transport
    /// (SMTP when Email:Smtp:Host is set, else the pickup directory). Options are checked at start.
    /// </summary>
    public static IServiceCollection AddEmail(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<EmailOptions>()
            .BindChecked(configuration, EmailOptions.Section)
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<EmailOptions>, EmailOptionsValidator>();
        services.AddSingleton<MailLinks>();
        services.AddSingleton<MailQueue>();
        services.AddSingleton<AccountMail>();
        services.AddHostedService<MailSender>();

        if (string.IsNullOrWhiteSpace(configuration[$"{EmailOptions.Section}:Smtp:Host"]))
            services.AddSingleton<IMailTransport, PickupDirectoryTransport>();
        else
            services.AddSingleton<IMailTransport, SmtpMailTransport>();
        return services;
    }
}
