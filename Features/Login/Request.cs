namespace SliceAuth.Features.Login;

public sealed class Request
{
    public string Username { get; set; } = "";
    public string Password { get; set; } = "";
}
