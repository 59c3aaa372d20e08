using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace SliceAuth.OpenApi;

/// <summary>Title, version and a description that says what the API is and how to try it from the Swagger page.</summary>
internal sealed class DocumentInfoTransformer : IOpenApiDocumentTransformer
{
    private const string Description = """
        Username/password accounts with server-side sessions. Logging in stores a session on the server and sets an
        HttpOnly cookie that refers to it; logging out deletes the session, so a copied cookie stops working too.
        Errors are `application/problem+json`.

        **Try it from this page**
        1. `POST /register` with a username, an email and a password.
        2. `POST /login` with the username and password: the response sets the session cookie.
        3. `GET /protected` or `GET /me` (marked with a lock): the browser sends the cookie by itself, no *Authorize* step needed.
        4. `POST /logout` ends the session.
        """;

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo { Title = "SliceAuth", Version = "v1", Description = Description };
        return Task.CompletedTask;
    }
}
