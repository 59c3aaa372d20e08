namespace SliceAuth.Features.Login;

public sealed class Response
{
    public string Username { get; init; } = "";
}
