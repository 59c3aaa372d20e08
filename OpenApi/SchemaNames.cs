using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.OpenApi;

namespace SliceAuth.OpenApi;

/// <summary>
/// Every slice names its DTOs Request and Response, and the default ids (the bare type name) would make them
/// share one component schema. Prefixing the slice gives unique, readable names: RegisterRequest, LoginResponse.
/// </summary>
internal static class SchemaNames
{
    public static string? For(JsonTypeInfo type)
    {
        var id = OpenApiOptions.CreateDefaultSchemaReferenceId(type); // null keeps a schema inline (strings, numbers)
        var slice = EndpointFacts.SliceOf(type.Type);
        return id is null || slice is null || id.StartsWith(slice, StringComparison.Ordinal) ? id : slice + id;
    }
}
