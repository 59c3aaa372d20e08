namespace SliceAuth.Features.Register;

public sealed class Response
{
    public Guid Id { get; init; }
    public string Username { get; init; } = "";
    public string Email { get; init; } = "";
    public DateTime CreatedAt { get; init; }
}
