using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using SliceAuth.Auth;

namespace SliceAuth.OpenApi;

/// <summary>The session cookie as an apiKey-in-cookie security scheme, named as configured (Auth:CookieName).</summary>
internal sealed class SessionCookieSchemeTransformer(IOptions<AuthOptions> auth) : IOpenApiDocumentTransformer
{
    public const string SchemeId = "sessionCookie";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.AddComponent<IOpenApiSecurityScheme>(SchemeId, new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Cookie,
            Name = auth.Value.CookieName,
            // Browsers do not let a page set cookies on its requests, so Authorize cannot fill this in: /login does.
            Description = $"The HttpOnly session cookie set by POST /login (named \"__Host-{auth.Value.CookieName}\" over HTTPS). " +
                "The browser sends it with every request from this page; no Authorize step is needed.",
        });
        return Task.CompletedTask;
    }
}

/// <summary>The lock on exactly the operations the authorization middleware guards; anonymous routes carry none.</summary>
internal sealed class SessionRequirementTransformer : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.Description.NeedsSession())
            operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SessionCookieSchemeTransformer.SchemeId, context.Document)] = [] }];
        return Task.CompletedTask;
    }
}
