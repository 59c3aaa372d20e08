using System.Text.Json;
using System.Text.Json.Serialization;
using FastEndpoints;

namespace SliceAuth.Hardening;

/// <summary>
/// A JSON body may give each property once. System.Text.Json lets the last duplicate win, while a proxy, WAF or
/// log line may read the first: {"password":"wrong","password":"right"} would be two different requests. Names
/// are compared as the deserializer compares them (ignoring case when it does), at any depth, including
/// properties no request type binds. The serializer's own AllowDuplicateProperties misses those and does not
/// say where the duplicate was, so the body is checked here, after it deserialized without error.
/// </summary>
public static class OneValuePerKey
{
    public static void ReadOneValuePerKey(this Config config)
    {
        var serializer = config.Serializer; // its Options are read per request: FastEndpoints fills them at start
        config.Serializer.RequestDeserializer = (request, type, context, ct) =>
            ReadAsync(request, type, context?.Options ?? serializer.Options, ct);
    }

    private static async ValueTask<object?> ReadAsync(HttpRequest request, Type type, JsonSerializerOptions options, CancellationToken ct)
    {
        // Bodies are small (RequestBodyLimit), so reading one into memory costs nothing worth streaming for.
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, ct);
        var json = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);

        // Deserialize first: a body that is not valid JSON keeps the error it always had.
        var value = JsonSerializer.Deserialize(json.Span, type, options);
        if (FirstDuplicate(json, options) is { } path) throw new DuplicateKeyException(path);
        return value;
    }

    private static string? FirstDuplicate(ReadOnlyMemory<byte> json, JsonSerializerOptions options)
    {
        using var document = JsonDocument.Parse(json, new JsonDocumentOptions
        {
            MaxDepth = options.MaxDepth,
            AllowTrailingCommas = options.AllowTrailingCommas,
            CommentHandling = options.ReadCommentHandling == JsonCommentHandling.Disallow ? JsonCommentHandling.Disallow : JsonCommentHandling.Skip,
        });
        var names = options.PropertyNameCaseInsensitive ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;
        return FirstDuplicate(document.RootElement, "", names);
    }

    /// <summary>The path of the first property named twice in one object ("profile.a", "list[1].b"), or null.</summary>
    private static string? FirstDuplicate(JsonElement element, string path, StringComparer names)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var seen = new HashSet<string>(names);
                foreach (var property in element.EnumerateObject())
                {
                    // Named as first spelled: {"password":..,"Password":..} is reported on "password".
                    if (seen.TryGetValue(property.Name, out var first)) return Join(path, first);
                    seen.Add(property.Name);
                    if (FirstDuplicate(property.Value, Join(path, property.Name), names) is { } inner) return inner;
                }
                return null;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                    if (FirstDuplicate(item, $"{path}[{index++}]", names) is { } inner) return inner;
                return null;
            default:
                return null;
        }
    }

    private static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";
}

/// <summary>A property given twice; <see cref="Field"/> is its path as first spelled in the body.</summary>
public sealed class DuplicateKeyException(string field) : JsonException($"The property '{field}' appears more than once.")
{
    public string Field { get; } = field;
}
