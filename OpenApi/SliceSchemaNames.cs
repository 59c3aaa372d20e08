using NJsonSchema.Generation;

namespace SliceAuth.OpenApi;

/// <summary>
/// Every slice names its DTOs Request and Response: FastEndpoints.Swagger's short names would collide and its long ones
/// read SliceAuthFeaturesRegisterRequest. The slice prefix gives unique, readable names (RegisterRequest,
/// LoginResponse); types outside a slice keep their bare name (ProblemDetails).
/// </summary>
internal sealed class SliceSchemaNames : ISchemaNameGenerator
{
    public string Generate(Type type) =>
        EndpointFacts.SliceOf(type) is { } slice && !type.Name.StartsWith(slice, StringComparison.Ordinal) ? slice + type.Name : type.Name;
}
