using System.Net;
using SliceAuth.Data.LiteDb;
using SliceAuth.Tests.Infrastructure;

namespace SliceAuth.Tests.Storage;

/// <summary>An engine error reaches the API translated at the storage seam: 503 with Retry-After, never a 500.</summary>
[Trait("Storage", "LiteDb")]
public sealed class StorageFaultTests : AppTest
{
    [Fact]
    public async Task A_read_that_fails_in_the_engine_is_503_with_Retry_After()
    {
        var client = App.Client();
        (await client.Register("reader")).EnsureSuccessStatusCode();

        App.Service<LiteDbDatabase>().Dispose(); // what a closed or broken database looks like
        var response = await client.Login("reader"); // its first step reads the account

        await response.Problem(HttpStatusCode.ServiceUnavailable);
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.True(App.Service<LiteDbDatabase>().IsFaulted); // reported at the seam, so recovery starts
    }
}
