using SliceAuth.Tests.Infrastructure;

namespace SliceAuth.Tests.Hardening;

/// <summary>A ConnectionStrings:Redis the client would reject, or read as no server at all, refuses the start in one line.</summary>
[Trait("Category", "Redis")] // storage-neutral: runs once, not again in the PostgreSQL run
public sealed class RedisConnectionStringTests : IDisposable
{
    private const string Password = "hunter2-never-echoed-0815";
    private readonly string _dir = TempDirectory.Create();

    [Theory]
    [InlineData("127.0.0.1:6390,bogus=1")]
    [InlineData("127.0.0.1:6390,password=" + Password + ",connectTimeout=soon")]
    [InlineData("127.0.0.1:notaport")] // the client would silently drop it and have no server
    [InlineData("password=" + Password)]
    [InlineData("127.0.0.1:99999")]
    public async Task A_malformed_Redis_connection_string_stops_the_start_naming_the_key(string connectionString)
    {
        using var app = AppProcess.Start(_dir, new Dictionary<string, string> { ["ConnectionStrings__Redis"] = connectionString });

        await app.AssertRefusedInOneLine("ConnectionStrings:Redis");
        Assert.DoesNotContain(app.Output, l => l.Contains(Password));
        Assert.Empty(Directory.EnumerateFileSystemEntries(_dir));
    }

    public void Dispose() => TempDirectory.Delete(_dir);
}
