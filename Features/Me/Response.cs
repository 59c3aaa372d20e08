namespace SliceAuth.Features.Me;

public sealed class Response
{
    public Guid Id { get; init; }
    public string Username { get; init; } = "";
    public string Email { get; init; } = "";

    /// <summary>The owner of the address opened a link mailed to it.</summary>
    public bool EmailVerified { get; init; }
    public DateTime CreatedAt { get; init; }
}
