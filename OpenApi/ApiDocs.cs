namespace SliceAuth.OpenApi;

/// <summary>The OpenAPI 3.1 document at /openapi/v1.json and Swagger UI over it at /swagger.</summary>
public static class ApiDocs
{
    public const string DocumentName = "v1";
    public const string DocumentPath = "/openapi/v1.json";

    /// <summary>The generated document lacks what FastEndpoints keeps to itself; one transformer closes each gap.</summary>
    public static IServiceCollection AddApiDocs(this IServiceCollection services)
    {
        services.AddSingleton<RequestValidators>();
        return services.AddOpenApi(DocumentName, options =>
        {
            options.CreateSchemaReferenceId = SchemaNames.For;
            options.AddDocumentTransformer<DocumentInfoTransformer>();
            options.AddDocumentTransformer<SessionCookieSchemeTransformer>();
            options.AddDocumentTransformer<DocumentTagsTransformer>();
            options.AddOperationTransformer<SliceTagsTransformer>();
            options.AddOperationTransformer<SessionRequirementTransformer>();
            options.AddOperationTransformer<ErrorResponsesTransformer>();
            options.AddOperationTransformer<EndpointSummaryTransformer>(); // last: the slice's own words win
            options.AddSchemaTransformer<ValidatorConstraintsTransformer>();
        });
    }

    public static WebApplication MapApiDocs(this WebApplication app)
    {
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        app.UseSwaggerUI(ui =>
        {
            ui.SwaggerEndpoint(DocumentPath, "SliceAuth v1");
            ui.RoutePrefix = "swagger";
            ui.DocumentTitle = "SliceAuth";
            // No withCredentials: the page calls its own origin, and same-origin fetches send and store the cookie.
        });
        return app;
    }
}
