using System.Diagnostics;
using System.Text.Json;
using FastEndpoints;
using FluentValidation.Results;
using SliceAuth.Auth;
using SliceAuth.Data;
using SliceAuth.Hardening;
using SliceAuth.Metrics;
using SliceAuth.TwoFactor;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.WebUtilities;

namespace SliceAuth.Problems;

/// <summary>
/// Every error is application/problem+json (RFC 9457): validation failures, malformed bodies, auth
/// challenges, unknown routes and unhandled exceptions alike, with no parser details or stack traces.
/// </summary>
public static class ApiProblems
{
    public const string BodyField = "body";

    // ASP.NET Core fills "type" from RFC 9110; 429 is defined in RFC 6585.
    private const string TooManyRequestsType = "https://tools.ietf.org/html/rfc6585#section-4";

    public static IServiceCollection AddApiProblems(this IServiceCollection services) =>
        services.AddProblemDetails();

    /// <summary>Unhandled exceptions and bodiless error statuses (404, 405, 415) become problems.</summary>
    public static IApplicationBuilder UseApiProblems(this IApplicationBuilder app) => app
        .UseExceptionHandler(new ExceptionHandlerOptions
        {
            ExceptionHandler = WriteUnhandledAsync,
            // Overload and malformed requests are answered, not errors worth a stack trace in the log.
            SuppressDiagnosticsCallback = context => context.Exception is PasswordWorkersBusyException or BadHttpRequestException,
        })
        .UseStatusCodePages(status => WriteAsync(status.HttpContext, status.HttpContext.Response.StatusCode,
            ReasonPhrases.GetReasonPhrase(status.HttpContext.Response.StatusCode),
            // Routing's own 415 (a wrong Content-Type) gets the same answer as a missing one.
            status.HttpContext.Response.StatusCode == StatusCodes.Status415UnsupportedMediaType ? JsonBodiesOnly : null))
        .Use(RefuseNonJsonBodies);

    /// <summary>
    /// Kestrel's own request errors (a body over the limit: 413) keep their 4xx; a storage fault is a 503 the
    /// client may retry; anything else is a bare 500. Never the exception's text.
    /// </summary>
    private static Task WriteUnhandledAsync(HttpContext http)
    {
        var failure = http.Features.Get<IExceptionHandlerFeature>();
        SliceAuthMetrics.Of(http).Unhandled(failure); // the bcrypt queue full and storage faults are counted
        return failure?.Error switch
        {
            BadHttpRequestException bad => WriteClosingAsync(http, bad.StatusCode, ReasonPhrases.GetReasonPhrase(bad.StatusCode), null),
            PasswordWorkersBusyException =>
                RetryLater(http, StatusCodes.Status503ServiceUnavailable, TimeSpan.FromSeconds(1), "Too busy checking passwords.").ExecuteAsync(http),
            // Engine errors arrive translated; the store has already reported the fault, so recovery has begun.
            { } error when StorageFaults.IsStorageFault(error) =>
                RetryLater(http, StatusCodes.Status503ServiceUnavailable, TimeSpan.FromSeconds(1), "Storage is unavailable.").ExecuteAsync(http),
            TotpKeyUnavailableException =>
                RetryLater(http, StatusCodes.Status503ServiceUnavailable, TimeSpan.FromSeconds(30), "Second-factor secrets are unreadable for now.").ExecuteAsync(http),
            _ => WriteAsync(http, StatusCodes.Status500InternalServerError, "An unexpected error occurred.", null),
        };
    }

    /// <summary>
    /// A route that reads a JSON body answers 415 problem to any other content type. Routing already does this
    /// for a wrong type, but lets a request with no Content-Type through, and FastEndpoints then answers a bare 415.
    /// </summary>
    private static Task RefuseNonJsonBodies(HttpContext http, RequestDelegate next)
    {
        var accepts = http.GetEndpoint()?.Metadata.GetMetadata<IAcceptsMetadata>();
        if (accepts is null || accepts.ContentTypes.Count == 0 || IsUtf8Json(http.Request)) return next(http);
        return WriteAsync(http, StatusCodes.Status415UnsupportedMediaType, "Unsupported Media Type", JsonBodiesOnly);
    }

    private const string JsonBodiesOnly = "Send the request body as application/json (UTF-8).";

    // JSON is UTF-8 (RFC 8259); another charset, or one .NET does not know, would fail deep in the reader.
    private static bool IsUtf8Json(HttpRequest request) =>
        request.HasJsonContentType()
        && Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(request.ContentType, out var type)
        && (type.Charset.Length == 0 || type.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase)
            || type.Charset.Equals("utf8", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// A problem after which the connection is closed. Kestrel drops a connection whose request body it could
    /// not read to the end; saying so lets a keep-alive client open a new one instead of failing its next request.
    /// </summary>
    public static Task WriteClosingAsync(HttpContext http, int status, string title, string? detail)
    {
        http.Response.Headers.Connection = "close";
        return WriteAsync(http, status, title, detail);
    }

    /// <summary>FastEndpoints' 400s in the ASP.NET Core shape: errors maps each camelCase field to its messages.</summary>
    public static void ConfigureValidationProblems(this Config config)
    {
        config.Errors.ContentType = "application/problem+json";
        config.Errors.ProducesMetadataType = typeof(HttpValidationProblemDetails);
        config.Errors.ResponseBuilder = (failures, http, status) => new HttpValidationProblemDetails(
            failures.GroupBy(f => f.PropertyName).ToDictionary(g => g.Key, g => g.Select(f => f.ErrorMessage).Distinct().ToArray()))
        {
            Type = "https://tools.ietf.org/html/rfc9110#section-15.5.1",
            Title = "One or more validation errors occurred.",
            Status = status,
            Extensions = { ["traceId"] = Activity.Current?.Id ?? http.TraceIdentifier },
        };
        config.Binding.JsonExceptionTransformer = DescribeMalformedJson;
    }

    /// <summary>A plain sentence instead of the parser's message (positions, token types, .NET type names).</summary>
    private static ValidationFailure DescribeMalformedJson(JsonException e)
    {
        if (e is DuplicateKeyException duplicate)
            return new ValidationFailure(duplicate.Field, "This field appears more than once in the request body; send it once.");
        // Syntax errors come from the reader (an inner JsonException); a well-formed value of the wrong type
        // does not. "$.username" then names the top-level field that had it.
        if (e.InnerException is JsonException)
            return new ValidationFailure(BodyField, "The request body is not valid JSON.");
        var path = e.Path;
        if (path is { Length: > 2 } && path.StartsWith("$.") && path.IndexOfAny(['.', '['], 2) < 0)
            return new ValidationFailure(path[2..], "The value has the wrong JSON type.");
        return new ValidationFailure(BodyField, "The request body must be a JSON object.");
    }

    /// <summary>429 with Retry-After in whole seconds, rounded up so a client that waits that long is let in.</summary>
    public static IResult TooManyRequests(HttpContext http, TimeSpan retryAfter, string title) =>
        RetryLater(http, StatusCodes.Status429TooManyRequests, retryAfter, title);

    /// <summary>A problem with a Retry-After header (429 for limits, 503 for overload).</summary>
    public static IResult RetryLater(HttpContext http, int status, TimeSpan retryAfter, string title)
    {
        http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return TypedResults.Problem(statusCode: status, title: title, detail: "Wait for the time in Retry-After, then try again.",
            type: status == StatusCodes.Status429TooManyRequests ? TooManyRequestsType : null);
    }

    /// <summary>Writes a problem whatever the Accept header asks for (the API has no other error format).</summary>
    public static Task WriteAsync(HttpContext http, int status, string title, string? detail) =>
        TypedResults.Problem(statusCode: status, title: title, detail: detail).ExecuteAsync(http);
}
