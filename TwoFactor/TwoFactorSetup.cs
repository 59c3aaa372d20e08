namespace SliceAuth.TwoFactor;

public static class TwoFactorSetup
{
    /// <summary>What the second-factor slices share; the storage (ISecondFactorStore) comes with the storage provider.</summary>
    public static IServiceCollection AddTwoFactor(this IServiceCollection services)
    {
        services.AddSingleton<TotpSecrets>();
        services.AddSingleton<TotpCodes>();
        services.AddSingleton<SecondFactorCheck>();
        services.AddSingleton<PendingLoginCookie>();
        services.AddSingleton<FactorChange>();
        return services;
    }
}
