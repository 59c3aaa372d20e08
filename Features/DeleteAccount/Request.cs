namespace SliceAuth.Features.DeleteAccount;

public sealed class Request
{
    public string Password { get; set; } = "";
}
