using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using SliceAuth.Email;
using SliceAuth.Tests.Infrastructure;

namespace SliceAuth.Tests.Email;

/// <summary>A wrong Email setting refuses the start in one line naming the key; the default link base is the server's own address.</summary>
public sealed class EmailOptionsTests : IDisposable
{
    private readonly string _dir = TempDirectory.Create();

    [Theory]
    [InlineData("Email:Smtp:Security", "Sometimes")]
    [InlineData("Email:Smtp:Security", "7")]
    [InlineData("Email:Smtp:Port", "70000")]
    [InlineData("Email:LinkBaseUrl", "app.example.com/account")] // no scheme
    [InlineData("Email:LinkBaseUrl", "javascript:alert(1)")]
    [InlineData("Email:LinkBaseUrl", "ftp://app.example.com/account")]
    [InlineData("Email:LinkBaseUrl", "https://app.example.com/account?x=1")]
    [InlineData("Email:From", "not an address")]
    [InlineData("Email:QueueCapacity", "0")]
    [InlineData("Email:SendAttempts", "0")]
    [InlineData("Email:FirstRetryDelay", "2")] // TimeSpan would read two days
    [InlineData("Email:Smtp:Hots", "mail.example.com")] // a misspelt key
    public async Task An_invalid_email_option_stops_the_start_naming_the_key(string key, string value)
    {
        using var app = AppProcess.Start(_dir, new Dictionary<string, string> { [key.Replace(":", "__")] = value });

        await app.AssertRefusedInOneLine(key);
    }

    [Fact]
    public async Task The_smtp_password_is_never_echoed()
    {
        const string password = "s3cret-Passw0rd";
        using var app = AppProcess.Start(_dir, new Dictionary<string, string> { ["Email__Smtp__Password"] = password });

        await app.AssertRefusedInOneLine("Email:Smtp:Username"); // a password without a user name
        Assert.DoesNotContain(app.Output, l => l.Contains(password));
    }

    [Theory]
    [InlineData("http://127.0.0.1:5000", "http://127.0.0.1:5000/account")]
    [InlineData("http://[::]:8080;https://0.0.0.0:8443", "https://localhost:8443/account")] // https first, wildcards made reachable
    [InlineData("http://+:80", "http://localhost/account")]
    public void Without_LinkBaseUrl_links_point_at_the_address_the_server_listens_on(string listening, string expectedBase)
    {
        var server = new ListeningServer(listening.Split(';'));
        var links = new MailLinks(Options.Create(new EmailOptions()), server, new ConfigurationBuilder().Build());

        Assert.Equal($"{expectedBase}/reset-password?token=a%2Bb", links.ResetPassword("a+b"));
        Assert.Equal($"{expectedBase}/verify-email?token=a%2Bb", links.VerifyEmail("a+b"));
    }

    public void Dispose() => TempDirectory.Delete(_dir);

    /// <summary>Only what MailLinks reads of a server: the addresses it listens on.</summary>
    private sealed class ListeningServer : IServer
    {
        public ListeningServer(IEnumerable<string> addresses)
        {
            var feature = new ServerAddressesFeature();
            foreach (var address in addresses) feature.Addresses.Add(address);
            Features.Set<IServerAddressesFeature>(feature);
        }

        public IFeatureCollection Features { get; } = new FeatureCollection();

        public Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken) where TContext : notnull => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public void Dispose() { }
    }
}
