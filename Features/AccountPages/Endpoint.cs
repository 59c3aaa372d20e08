using FastEndpoints;

namespace SliceAuth.Features.AccountPages;

/// <summary>
/// The account page (/account: register, log in, and everything the API lets a person do with their account) and the
/// two pages mails link to by default (/account/reset-password, /account/verify-email), with their scripts and styles:
/// a person can use SliceAuth with nothing but a browser and a mail client. The pages call the public API from the
/// browser; Hardening/SecurityHeaders gives /account its own CSP (own scripts and styles only).
/// </summary>
public sealed class Endpoint : EndpointWithoutRequest
{
    public override void Configure()
    {
        Get(PageFiles.Routes);
        AllowAnonymous(); // the person following a mailed link, or about to log in, has no session
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
