namespace SliceAuth.Features.ChangeEmail;

public sealed class Request
{
    /// <summary>The current password: a session alone does not move the account to another mailbox.</summary>
    public string Password { get; set; } = "";

    public string NewEmail { get; set; } = "";
}
