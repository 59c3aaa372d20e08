using SliceAuth.Tests.Infrastructure;

namespace SliceAuth.Tests.Features.StartTotpEnrolment;

/// <summary>Auth:TotpIssuer ends up in every authenticator app's list: a value no app can show stops the start.</summary>
public sealed class TotpIssuerOptionTests : IDisposable
{
    private readonly string _dir = TempDirectory.Create();

    [Theory]
    [InlineData(" ")]
    [InlineData("Acme:Login")] // the colon separates issuer and account in the otpauth label
    public async Task An_unusable_issuer_stops_the_start_naming_the_key(string issuer)
    {
        using var app = AppProcess.Start(_dir, new Dictionary<string, string> { ["Auth__TotpIssuer"] = issuer });

        await app.AssertRefusedInOneLine("Auth:TotpIssuer");
    }

    public void Dispose() => TempDirectory.Delete(_dir);
}
