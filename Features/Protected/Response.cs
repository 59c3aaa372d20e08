namespace SliceAuth.Features.Protected;

public sealed class Response
{
    public string Message { get; init; } = "";
    public string Username { get; init; } = "";
}
