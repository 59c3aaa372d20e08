using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace SliceAuth.OpenApi;

/// <summary>
/// One tag and a stable operationId per slice (Register, Login, Me, ...), taken from the endpoint's namespace:
/// the page is organised like the code, and a new slice is documented without touching this folder.
/// </summary>
internal sealed class SliceTagsTransformer : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.Description.Definition()?.EndpointType is not { } endpoint || EndpointFacts.SliceOf(endpoint) is not { } slice)
            return Task.CompletedTask;

        operation.Tags = new HashSet<OpenApiTagReference> { new(slice, context.Document) };
        // A second endpoint in one slice keeps its class name in the id, so ids stay unique.
        operation.OperationId = endpoint.Name == "Endpoint" ? slice : slice + endpoint.Name.Replace("Endpoint", "");
        return Task.CompletedTask;
    }
}

/// <summary>The document's tag list holds exactly the tags operations use (without the default "SliceAuth").</summary>
internal sealed class DocumentTagsTransformer : IOpenApiDocumentTransformer
{
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        var used = document.Paths.Values
            .SelectMany(path => path.Operations?.Values.AsEnumerable() ?? [])
            .SelectMany(operation => operation.Tags?.AsEnumerable() ?? [])
            .Select(tag => tag.Name)
            .OfType<string>()
            .Distinct();
        document.Tags = new HashSet<OpenApiTag>(used.Select(name => new OpenApiTag { Name = name }));
        return Task.CompletedTask;
    }
}
