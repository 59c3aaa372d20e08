namespace SliceAuth.Features.LoginSecondFactor;

public sealed class Response
{
    public string Username { get; init; } = "";
}
