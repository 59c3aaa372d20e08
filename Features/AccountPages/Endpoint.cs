using FastEndpoints;

namespace SliceAuth.Features.AccountPages;

/// <summary>
/// The two pages mails link to by default (/account/reset-password, /account/verify-email) and their script and style:
/// a person can reset a password or verify an address with nothing but SliceAuth and a mail client. The pages call the
/// API from the browser; Hardening/SecurityHeaders gives /account its own CSP (own scripts and styles only).
/// </summary>
public sealed class Endpoint : EndpointWithoutRequest
{
    public override void Configure()
    {
        Get(PageFiles.Routes);
        AllowAnonymous(); // the person following a mailed link has no session
        // Pages, not API operations: the OpenAPI document lists the routes they call instead.
        Description(route => route.ExcludeFromDescription());
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        if (PageFiles.For(HttpContext.Request.Path) is not { } file)
        {
            await Send.NotFoundAsync(ct);
            return;
        }
        await Send.BytesAsync(file.Content, contentType: file.ContentType, cancellation: ct);
    }
}
