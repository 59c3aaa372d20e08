using NSwag;

namespace SliceAuth.OpenApi;

/// <summary>
/// In OpenAPI 3.0 a <c>$ref</c> stands alone: tools ignore anything beside it, and Spectral refuses it
/// (no-$ref-siblings). NSwag writes <c>nullable</c> and FastEndpoints the property's slice of the example next to a
/// property that points at another schema (the passkey routes' nested credential); only the pointer is kept. The
/// request's own example, on its schema, still shows the nested object whole.
/// </summary>
internal static class RefSiblings
{
    public static void Strip(OpenApiDocument document)
    {
        foreach (var schema in document.Components.Schemas.Values)
            foreach (var property in schema.Properties.Values.Where(p => p.Reference is not null))
            {
                property.IsNullableRaw = null;
                property.Example = null;
            }
    }
}
