using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.OpenApi;

namespace SliceAuth.OpenApi;

/// <summary>
/// Every error a route can answer, each as application/problem+json. ApiExplorer misses most of them: FastEndpoints'
/// problem results are IResults, 401 comes from the cookie handler and 415 from ApiProblems' middleware.
/// </summary>
internal sealed class ErrorResponsesTransformer : IOpenApiOperationTransformer
{
    private const string ProblemJson = "application/problem+json";

    // Used where neither the generator nor the endpoint's Summary(...) says more than the reason phrase.
    private static readonly Dictionary<int, string> DefaultDescriptions = new()
    {
        [StatusCodes.Status400BadRequest] = "The body is not valid JSON or breaks a rule: `errors` maps each field to its messages.",
        [StatusCodes.Status401Unauthorized] = "No live session: log in first.",
        [StatusCodes.Status415UnsupportedMediaType] = "The body was not sent as application/json.",
    };

    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var responses = operation.Responses ??= new OpenApiResponses();
        var description = context.Description;

        if (description.ReadsBody())
        {
            // A body can be malformed JSON or fail the validator (400), or come with another content type (415).
            responses.TryAdd("400", new OpenApiResponse());
            responses.TryAdd("415", new OpenApiResponse());
        }
        if (description.NeedsSession())
            responses.TryAdd("401", new OpenApiResponse());

        foreach (var (status, response) in responses)
        {
            if (!int.TryParse(status, out var code) || code < 400 || response is not OpenApiResponse error) continue;
            // 400 carries the field errors; every other error is a plain problem.
            var type = code == StatusCodes.Status400BadRequest ? typeof(HttpValidationProblemDetails) : typeof(ProblemDetails);
            error.Content = new Dictionary<string, OpenApiMediaType>
            {
                [ProblemJson] = new() { Schema = await ComponentReference(type, context, cancellationToken) },
            };
            // The generator's default description is the bare reason phrase (EndpointSummaryTransformer may still override).
            if (string.IsNullOrEmpty(error.Description) || error.Description == ReasonPhrases.GetReasonPhrase(code))
                error.Description = DefaultDescriptions.GetValueOrDefault(code, ReasonPhrases.GetReasonPhrase(code));
        }
    }

    /// <summary>A $ref to the type's component schema, creating the component if no endpoint declared the type yet.</summary>
    private static async Task<IOpenApiSchema> ComponentReference(Type type, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        var document = context.Document!;
        if (document.Components?.Schemas?.ContainsKey(type.Name) != true)
            document.AddComponent(type.Name, await context.GetOrCreateSchemaAsync(type, null, ct));
        return new OpenApiSchemaReference(type.Name, document);
    }
}
