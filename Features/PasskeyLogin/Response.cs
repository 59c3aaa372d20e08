namespace SliceAuth.Features.PasskeyLogin;

public sealed class Response
{
    public string Username { get; init; } = "";
}
