namespace SliceAuth.OpenApi;

/// <summary>The OpenAPI 3.1 document at /openapi/v1.json and Swagger UI over it at /swagger.</summary>
public static class ApiDocs
{
    public const string DocumentPath = "/openapi/v1.json";

    public static IServiceCollection AddApiDocs(this IServiceCollection services) =>
        services.AddOpenApi("v1");

    public static WebApplication MapApiDocs(this WebApplication app)
    {
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        app.UseSwaggerUI(ui =>
        {
            ui.SwaggerEndpoint(DocumentPath, "SliceAuth v1");
            ui.RoutePrefix = "swagger";
            ui.DocumentTitle = "SliceAuth";
        });
        return app;
    }
}
