using FastEndpoints.Swagger;
using NSwag.Generation.Processors;
using NSwag.Generation.Processors.Contexts;

namespace SliceAuth.OpenApi;

/// <summary>
/// One tag and a stable operationId per slice (Register, Login, Me, ...), taken from the endpoint's namespace.
/// FastEndpoints.Swagger can only tag by path segment (/me, /me/sessions and /me/password would all be "Me") and
/// names operations after the full class name; this keeps the page organised like the code, and a new slice is
/// documented without touching this folder.
/// </summary>
internal sealed class SliceTags : IOperationProcessor
{
    public bool Process(OperationProcessorContext context)
    {
        if (context.GetEndpointDefinition()?.EndpointType is not { } endpoint || EndpointFacts.SliceOf(endpoint) is not { } slice)
            return true;

        var operation = context.OperationDescription.Operation;
        operation.Tags = [slice];
        // A second endpoint in one slice keeps its class name in the id, so ids stay unique.
        operation.OperationId = endpoint.Name == "Endpoint" ? slice : slice + endpoint.Name.Replace("Endpoint", "");
        return true;
    }
}
