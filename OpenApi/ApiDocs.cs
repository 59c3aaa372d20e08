using FastEndpoints.Swagger;
using Microsoft.Extensions.Options;
using NSwag;
using NSwag.AspNetCore;
using SliceAuth.Auth;

namespace SliceAuth.OpenApi;

/// <summary>
/// The OpenAPI document at /openapi/v1.json and the Swagger page over it at /swagger, both from FastEndpoints.Swagger
/// (NSwag): it reads the endpoints' routes, DTOs, Summary(...), examples, validators and anonymity itself. The
/// processors beside this file add only what it cannot know.
/// </summary>
public static class ApiDocs
{
    public const string DocumentName = "v1";
    public const string DocumentPath = "/openapi/v1.json";
    public const string PagePath = "/swagger";
    public const string SessionCookieScheme = "sessionCookie";

    private const string Description = """
        Username/password accounts with server-side sessions. Logging in stores a session on the server and sets an
        HttpOnly cookie that refers to it; logging out deletes the session, so a copied cookie stops working too.
        Errors are `application/problem+json`.

        **Try it from this page**: every request body is filled with a working example, so pressing *Execute* from top to bottom works.
        1. `POST /register` with a username, an email and a password.
        2. `POST /login` with the username and password: the response sets the session cookie.
        3. `GET /protected` or `GET /me` (marked with a lock): the browser sends the cookie by itself, no *Authorize* step needed.
        4. `POST /logout` ends the session.
        """;

    /// <summary>One tag per slice, in the order a person uses them: the document and Swagger UI list operations so.</summary>
    private static readonly (string Slice, string Description)[] Slices =
    [
        ("Register", "Create an account."),
        ("VerifyEmail", "Redeem a mailed link: verify the address, or confirm a new one."),
        ("Login", "Start a session: the response sets the session cookie."),
        ("LoginSecondFactor", "Finish a login with a TOTP code or a recovery code, for an account with TOTP on."),
        ("PasskeyLoginOptions", "Start a passkey login: the challenge for navigator.credentials.get()."),
        ("PasskeyLogin", "Start a session with a passkey instead of a password."),
        ("Protected", "A route that needs a session."),
        ("ForwardAuth", "For a reverse proxy in front of another application: the user of the request's session, in headers."),
        ("Me", "The logged-in account."),
        ("ResendVerification", "Mail another verification link."),
        ("ChangeEmail", "Move the account to another address, confirmed by mail."),
        ("Logout", "End the session."),
        ("ListSessions", "The account's live sessions (devices)."),
        ("RevokeSession", "End one session (a lost device)."),
        ("RevokeOtherSessions", "End every session but this one."),
        ("ChangePassword", "Change the password."),
        ("StartTotpEnrolment", "Start turning on TOTP: a secret and QR code for an authenticator app."),
        ("ConfirmTotp", "Turn on TOTP with a code from the app; get the recovery codes."),
        ("ReplaceRecoveryCodes", "Replace the recovery codes."),
        ("DisableSecondFactor", "Turn off TOTP."),
        ("PasskeyRegistrationOptions", "Start adding a passkey: the challenge for navigator.credentials.create()."),
        ("AddPasskey", "Add a passkey to the account."),
        ("ListPasskeys", "The account's passkeys."),
        ("DeletePasskey", "Remove a passkey."),
        ("ForgotPassword", "Ask for a password reset link by mail."),
        ("ResetPassword", "Set a new password with a mailed link."),
        ("DeleteAccount", "Delete the account."),
    ];

    public static IServiceCollection AddApiDocs(this IServiceCollection services) => services.SwaggerDocument(document =>
    {
        document.EnableJWTBearerAuth = false; // the session is a cookie
        document.AutoTagPathSegmentIndex = 0; // tagged by slice (SliceTags), not by the first path segment
        document.TagDescriptions = tags =>
        {
            foreach (var (slice, description) in Slices) tags[slice] = description;
        };
        var cookieName = document.Services.GetRequiredService<IOptions<AuthOptions>>().Value.CookieName;
        document.DocumentSettings = settings =>
        {
            settings.DocumentName = DocumentName;
            settings.Title = "SliceAuth";
            settings.Version = "v1";
            settings.Description = Description;
            settings.SchemaSettings.SchemaNameGenerator = new SliceSchemaNames();
            // The API ignores unknown fields (never binds them): the schemas must not say they are refused.
            settings.SchemaSettings.AlwaysAllowAdditionalObjectProperties = true;
            // The lock goes on exactly the operations that are not AllowAnonymous.
            settings.AddAuth(SessionCookieScheme, new OpenApiSecurityScheme
            {
                Type = OpenApiSecuritySchemeType.ApiKey,
                In = OpenApiSecurityApiKeyLocation.Cookie,
                Name = cookieName,
                // Browsers do not let a page set cookies on its requests, so Authorize cannot fill this in: /login does.
                Description = $"The HttpOnly session cookie set by POST /login (named \"__Host-{cookieName}\" over HTTPS). " +
                    "The browser sends it with every request from this page; no Authorize step is needed.",
            });
            settings.OperationProcessors.Add(new SliceTags());
            settings.OperationProcessors.Add(new ProblemResponses());
            settings.PostProcess += SliceOrder.Apply; // after FastEndpoints' own PostProcess has listed the tags
            settings.PostProcess += RefSiblings.Strip;
        };
    });

    public static WebApplication MapApiDocs(this WebApplication app)
    {
        app.UseSwaggerPageScriptHashes($"{PagePath}/index.html");
        app.UseSwaggerGen(
            document =>
            {
                document.Path = DocumentPath;
                // NSwag fills `servers` from the request's Host and scheme: a header must not decide what the document
                // says. Without servers, clients resolve paths against the document's own URL.
                document.PostProcess = (openApi, _) => openApi.Servers.Clear();
            },
            page =>
            {
                page.Path = PagePath;
                page.DocumentPath = DocumentPath;
                // Named here, the page finds the document however it is opened (/swagger redirects with ?url=, a
                // bookmark of /swagger/index.html does not).
                page.SwaggerRoutes.Add(new SwaggerUiRoute("SliceAuth v1", DocumentPath));
                page.DocumentTitle = "SliceAuth";
                // FastEndpoints' defaults sort tags and operations alphabetically: keep the document's order instead.
                page.TagsSorter = null;
                page.OperationsSorter = null;
                page.DocExpansion = "list"; // every operation in view, ready for Execute from top to bottom
            });
        return app;
    }
}
