namespace SliceAuth.OpenApi;

/// <summary>
/// The one made-up account every request example uses (Summary's ExampleRequest), so that pressing Execute on the
/// Swagger page from top to bottom works: register, log in, change the password, delete the account with the new one.
/// The passwords pass the policy (12+ characters, not common, no part of the username or email).
/// </summary>
public static class ExampleAccount
{
    public const string Username = "alice";
    public const string Email = "alice@example.com";
    public const string Password = "correct horse battery";
    public const string NewPassword = "purple staple orbit lantern";
}
