using FastEndpoints;
using FluentValidation;

namespace SliceAuth.OpenApi;

/// <summary>
/// The descriptor of the validator FastEndpoints runs for each request DTO type, found through the endpoint
/// definitions (FastEndpoints builds validators itself; they are not in the container).
/// </summary>
internal sealed class RequestValidators(EndpointDataSource endpoints, IServiceProvider services)
{
    private readonly Lazy<IReadOnlyDictionary<Type, IValidatorDescriptor>> _byRequestType = new(() => endpoints.Endpoints
        .Select(endpoint => endpoint.Metadata.GetMetadata<EndpointDefinition>())
        .OfType<EndpointDefinition>()
        .Where(definition => definition.ValidatorType is not null)
        .DistinctBy(definition => definition.ReqDtoType)
        .ToDictionary(
            definition => definition.ReqDtoType,
            definition => ((IValidator)ActivatorUtilities.CreateInstance(services, definition.ValidatorType!)).CreateDescriptor()));

    public IValidatorDescriptor? For(Type requestType) => _byRequestType.Value.GetValueOrDefault(requestType);
}
