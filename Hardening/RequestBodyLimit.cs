using SliceAuth.Problems;

namespace SliceAuth.Hardening;

/// <summary>
/// 16 KiB is ample for any request this API takes. Kestrel enforces it while reading (chunked bodies too:
/// the exception handler turns its error into 413); a declared Content-Length over it is refused up front.
/// </summary>
public static class RequestBodyLimit
{
    public const int MaxBytes = 16 * 1024;

    public static IApplicationBuilder UseRequestBodyLimit(this IApplicationBuilder app) => app.Use((http, next) =>
    {
        if (http.Request.ContentLength > MaxBytes)
            return ApiProblems.WriteClosingAsync(http, StatusCodes.Status413PayloadTooLarge, "Request body too large.",
                $"Request bodies are limited to {MaxBytes} bytes.");

        // An error answered without reading a chunked body (404, 405, 415...) leaves Kestrel to drain it, and it
        // drops the connection when the body runs past the limit. Saying "close" up front spares a keep-alive
        // client from sending its next request into that dead connection.
        if (http.Request.ContentLength is null && http.Request.Headers.TransferEncoding.Count > 0)
            http.Response.OnStarting(() =>
            {
                if (http.Response.StatusCode >= 400) http.Response.Headers.Connection = "close";
                return Task.CompletedTask;
            });
        return next(http);
    });
}
