using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc.ApiExplorer;

namespace SliceAuth.OpenApi;

/// <summary>What the processors need to know about one endpoint, read from the metadata the app itself runs on.</summary>
internal static class EndpointFacts
{
    private static readonly string FeaturesNamespace = $"{nameof(SliceAuth)}.{nameof(Features)}.";

    public static IList<object> Metadata(this ApiDescription description) => description.ActionDescriptor.EndpointMetadata;

    /// <summary>The authorization middleware's rule: IAllowAnonymous wins over any IAuthorizeData.</summary>
    public static bool NeedsSession(this ApiDescription description) =>
        description.Metadata().OfType<IAuthorizeData>().Any() && !description.Metadata().OfType<IAllowAnonymous>().Any();

    /// <summary>The same test ApiProblems uses to answer 415: the endpoint declares the content types it reads.</summary>
    public static bool ReadsBody(this ApiDescription description) =>
        description.Metadata().OfType<IAcceptsMetadata>().LastOrDefault() is { ContentTypes.Count: > 0 };

    /// <summary>"Register" for SliceAuth.Features.Register.*; null for types outside a slice.</summary>
    public static string? SliceOf(Type type) =>
        type.Namespace is { } ns && ns.StartsWith(FeaturesNamespace, StringComparison.Ordinal)
            ? ns[FeaturesNamespace.Length..].Split('.')[0]
            : null;
}
