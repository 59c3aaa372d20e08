using FastEndpoints.Swagger;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.WebUtilities;
using Namotion.Reflection;
using NJsonSchema;
using NSwag;
using NSwag.Generation.AspNetCore;
using NSwag.Generation.Processors;
using NSwag.Generation.Processors.Contexts;

namespace SliceAuth.OpenApi;

/// <summary>
/// Every error a route can answer, each as application/problem+json. FastEndpoints.Swagger documents what an
/// endpoint declares (Description(...), its validator's 400), but not what the pipeline around it answers: 401 from
/// the cookie handler (without a body), 403 (cross-site), 413 and 415 from the request guards, 429 from the per-client rate limiter,
/// 503 from the exception handler when storage fails or the password checkers are saturated.
/// </summary>
internal sealed class ProblemResponses : IOperationProcessor
{
    private const string ProblemJson = "application/problem+json";

    // Used where the endpoint's Summary(...) says nothing more than the reason phrase.
    private static readonly Dictionary<int, string> DefaultDescriptions = new()
    {
        [StatusCodes.Status400BadRequest] = "The body is not valid JSON or breaks a rule: `errors` maps each field to its messages.",
        [StatusCodes.Status401Unauthorized] = "No live session: log in first.",
        [StatusCodes.Status403Forbidden] = "Sent on another site's behalf (Origin or Sec-Fetch-Site): refused.",
        [StatusCodes.Status413PayloadTooLarge] = "The body is larger than the limit (16 KiB).",
        [StatusCodes.Status415UnsupportedMediaType] = "The body was not sent as application/json.",
        [StatusCodes.Status429TooManyRequests] = "Too many requests from this client; see Retry-After.",
        [StatusCodes.Status503ServiceUnavailable] = "Storage is unavailable for a moment; see Retry-After.",
    };

    public bool Process(OperationProcessorContext context)
    {
        if (context.GetEndpointDefinition() is not { } endpoint) return true;
        var api = ((AspNetCoreOperationProcessorContext)context).ApiDescription;
        var operation = context.OperationDescription.Operation;

        var statuses = new List<int> { StatusCodes.Status503ServiceUnavailable };
        if (api.ReadsBody())
            statuses.AddRange([StatusCodes.Status400BadRequest, StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType]);
        if (api.NeedsSession()) statuses.Add(StatusCodes.Status401Unauthorized);
        // CrossSiteRequests refuses any state-changing method a browser sends from another site.
        if (!HttpMethods.IsGet(api.HttpMethod ?? "GET")) statuses.Add(StatusCodes.Status403Forbidden);
        if (api.Metadata().OfType<EnableRateLimitingAttribute>().Any()) statuses.Add(StatusCodes.Status429TooManyRequests);
        foreach (var status in statuses) operation.Responses.TryAdd(status.ToString(), new OpenApiResponse());

        foreach (var (key, response) in operation.Responses)
        {
            if (!int.TryParse(key, out var code) || code < 400) continue;
            // 400 carries the field errors; every other error is a plain problem.
            var type = code == StatusCodes.Status400BadRequest ? typeof(HttpValidationProblemDetails) : typeof(ProblemDetails);
            response.Content.Clear();
            response.Content[ProblemJson] = new OpenApiMediaType
            {
                Schema = context.SchemaGenerator.GenerateWithReference<JsonSchema>(type.ToContextualType(), context.SchemaResolver),
            };
            if (endpoint.EndpointSummary?.Responses.TryGetValue(code, out var own) == true)
                response.Description = own;
            else if (string.IsNullOrWhiteSpace(response.Description) || response.Description == ReasonPhrases.GetReasonPhrase(code))
                response.Description = DefaultDescriptions.GetValueOrDefault(code, ReasonPhrases.GetReasonPhrase(code));
        }

        // Declared and added responses come in any order: list them by status.
        var sorted = operation.Responses.OrderBy(r => r.Key, StringComparer.Ordinal).ToList();
        operation.Responses.Clear();
        foreach (var (key, response) in sorted) operation.Responses.Add(key, response);
        return true;
    }
}
