using NSwag;

namespace SliceAuth.OpenApi;

/// <summary>
/// Paths in the order of the document's tags (ApiDocs lists the slices in the order a person uses them), so that a
/// reader or a tool going through the document top to bottom meets register, login, ... in that order.
/// Swagger UI groups by tag and follows the tag list; NSwag itself emits paths in route-table order.
/// </summary>
internal static class SliceOrder
{
    public static void Apply(OpenApiDocument document)
    {
        var rank = document.Tags.Select((tag, index) => (tag.Name, index)).ToDictionary(t => t.Name, t => t.index);
        int RankOf(OpenApiPathItem path) => path.Values
            .SelectMany(operation => operation.Tags ?? [])
            .Select(tag => rank.GetValueOrDefault(tag, int.MaxValue))
            .DefaultIfEmpty(int.MaxValue)
            .Min();

        // Stable: paths of an unlisted slice keep their relative order, after the listed ones.
        var ordered = document.Paths.OrderBy(path => RankOf(path.Value)).ToList();
        document.Paths.Clear();
        foreach (var (route, path) in ordered) document.Paths.Add(route, path);
    }
}
