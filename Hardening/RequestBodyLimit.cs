using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using SliceAuth.Problems;

namespace SliceAuth.Hardening;

/// <summary>
/// 16 KiB is ample for any request this API takes. Kestrel enforces it while reading (chunked bodies too:
/// the exception handler turns its error into 413); a declared Content-Length over it is refused up front.
/// </summary>
public static class RequestBodyLimit
{
    public const int MaxBytes = 16 * 1024;

    // A refused body up to this size is read and discarded before the 413, so that a client still sending it
    // gets the answer (servers that answer mid-upload and close make clients report a broken connection
    // instead) and the connection stays usable. A bigger one is refused and the connection closed.
    private const int DrainUpToBytes = 2 * 1024 * 1024;
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(5);

    public static IApplicationBuilder UseRequestBodyLimit(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        if (http.Request.ContentLength > MaxBytes)
        {
            if (http.Request.ContentLength <= DrainUpToBytes && await TryDrainAsync(http))
                await ApiProblems.WriteAsync(http, StatusCodes.Status413PayloadTooLarge, "Request body too large.",
                    $"Request bodies are limited to {MaxBytes} bytes.");
            else
                await ApiProblems.WriteClosingAsync(http, StatusCodes.Status413PayloadTooLarge, "Request body too large.",
                    $"Request bodies are limited to {MaxBytes} bytes.");
            return;
        }

        // An answer that leaves a chunked body unread (an error, or a route that reads no body) leaves Kestrel
        // to drain it, and it drops the connection when the body runs past the limit. Saying "close" up front
        // spares a keep-alive client from sending its next request into that dead connection.
        if (http.Request.ContentLength is null && http.Request.Headers.TransferEncoding.Count > 0)
        {
            var readsBody = http.GetEndpoint()?.Metadata.GetMetadata<IAcceptsMetadata>() is not null;
            http.Response.OnStarting(() =>
            {
                if (!readsBody || http.Response.StatusCode >= 400) http.Response.Headers.Connection = "close";
                return Task.CompletedTask;
            });
        }
        await next(http);
    });

    private static async Task<bool> TryDrainAsync(HttpContext http)
    {
        var limit = http.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (limit is null || limit.IsReadOnly) return false;
        limit.MaxRequestBodySize = DrainUpToBytes;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
        timeout.CancelAfter(DrainTimeout);
        try
        {
            await http.Request.Body.CopyToAsync(Stream.Null, timeout.Token);
            return true;
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            return false;
        }
    }
}
