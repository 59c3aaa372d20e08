using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace SliceAuth.OpenApi;

/// <summary>
/// FastEndpoints keeps Summary(...) on its endpoint definition and does not hand it to ApiExplorer (that is
/// FastEndpoints.Swagger's job), so the summary, description and response descriptions are copied here.
/// </summary>
internal sealed class EndpointSummaryTransformer : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.Description.Definition()?.EndpointSummary is not { } summary) return Task.CompletedTask;

        operation.Summary = summary.Summary;
        if (!string.IsNullOrWhiteSpace(summary.Description)) operation.Description = summary.Description;
        foreach (var (status, text) in summary.Responses)
        {
            // Only describes responses the endpoint declares: a summary cannot invent a status the route never sends.
            if (operation.Responses?.TryGetValue(status.ToString(), out var response) == true && response is OpenApiResponse declared)
                declared.Description = text;
        }
        return Task.CompletedTask;
    }
}
