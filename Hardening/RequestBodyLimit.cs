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
            return ApiProblems.WriteAsync(http, StatusCodes.Status413PayloadTooLarge, "Request body too large.",
                $"Request bodies are limited to {MaxBytes} bytes.");
        return next(http);
    });
}
