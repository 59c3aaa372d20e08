using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using SliceAuth.Audit;
using SliceAuth.Data;
using SliceAuth.Hosting;
using SliceAuth.Problems;

namespace SliceAuth.Auth;

public static class AuthSetup
{
    public const string Scheme = CookieAuthenticationDefaults.AuthenticationScheme;

    /// <summary>Cookie authentication whose cookie carries only a reference to a server-side session.</summary>
    public static IServiceCollection AddSessionAuth(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AuthOptions>()
            .BindChecked(configuration, AuthOptions.Section)
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<AuthOptions>, AuthOptionsValidator>();
        services.AddOptions<SessionCacheOptions>()
            .BindChecked(configuration, SessionCacheOptions.Section)
            .ValidateOnStart();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<PepperFingerprint>();
        services.AddSingleton<Pepper>();
        services.AddSingleton<PasswordWorkers>();
        services.AddSingleton<PasswordHasher>();
        services.AddSingleton<IPasswordHasher>(sp => sp.GetRequiredService<PasswordHasher>());
        services.AddSingleton<AuditLog>();
        services.AddSingleton<SessionExpiry>();
        services.AddSingleton<SessionStore>();
        services.AddSingleton<SessionTicketStore>();
        services.AddSingleton<SessionCookies>();
        // In memory unless the storage provider shares one count between instances (it registered its own).
        services.TryAddSingleton<ILoginThrottle, LoginThrottle>();
        services.AddSingleton<PasswordCheck>();
        services.AddHostedService<SessionPurger>();

        // Where the key ring is kept belongs to the storage provider (Data/*/...Setup.cs).
        services.AddDataProtection().SetApplicationName("SliceAuth");

        services.AddAuthentication(Scheme).AddCookie(Scheme, cookie =>
        {
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Lax;
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            cookie.Cookie.Path = "/";
            cookie.CookieManager = new SessionCookieManager();
            cookie.TicketDataFormat = new SessionTokenFormat();
            // The session store slides the idle timeout on the server; the cookie itself never needs re-issuing.
            cookie.SlidingExpiration = false;

            // An API answers 401/403 problems; the handler's defaults are redirects to HTML login pages.
            cookie.Events.OnRedirectToLogin = context =>
                ApiProblems.WriteAsync(context.HttpContext, StatusCodes.Status401Unauthorized, "Authentication required.",
                    "Log in to get a session cookie.");
            cookie.Events.OnRedirectToAccessDenied = context =>
                ApiProblems.WriteAsync(context.HttpContext, StatusCodes.Status403Forbidden, "Forbidden.", null);
            cookie.Events.OnRedirectToLogout = _ => Task.CompletedTask;
            cookie.Events.OnRedirectToReturnUrl = _ => Task.CompletedTask;
        });
        services.AddOptions<CookieAuthenticationOptions>(Scheme)
            .Configure<SessionTicketStore, IOptions<AuthOptions>>((cookie, store, auth) =>
            {
                cookie.SessionStore = store;
                cookie.Cookie.Name = auth.Value.CookieName;
                cookie.ExpireTimeSpan = auth.Value.AbsoluteTimeout;
            });
        services.AddAuthorization();
        services.AddStartupCheck<WarmPasswordHasher>();
        return services;
    }

    /// <summary>
    /// Loads the pepper (checking it against the data) and the decoy hash before the first request, so a broken
    /// or foreign pepper fails the start.
    /// </summary>
    private sealed class WarmPasswordHasher(PasswordHasher hasher, IOptions<AuthOptions> options, ILogger<PasswordHasher> log) : IStartupCheck
    {
        public void Run()
        {
            hasher.Warm();
            // Low factors are allowed so tests and benchmarks run fast; in production they are a mistake.
            if (options.Value.BcryptWorkFactor < 10)
                log.LogWarning("Auth:BcryptWorkFactor is {WorkFactor}; below 10 is for tests only (OWASP asks for at least 10)",
                    options.Value.BcryptWorkFactor);
        }
    }
}
