using Microsoft.Extensions.Options;
using SliceAuth.Hosting;

namespace SliceAuth.Features.ForwardAuth;

public static class ForwardAuthSetup
{
    /// <summary>The forward-auth route's options (ForwardAuth:…), checked at start, and its login hint.</summary>
    public static IServiceCollection AddForwardAuth(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ForwardAuthOptions>()
            .BindChecked(configuration, ForwardAuthOptions.Section)
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<ForwardAuthOptions>, ForwardAuthOptionsValidator>();
        services.AddSingleton<LoginRedirects>();
        return services;
    }
}
