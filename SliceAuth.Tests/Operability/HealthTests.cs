using System.Net;
using SliceAuth.Tests.Infrastructure;

namespace SliceAuth.Tests.Operability;

public sealed class HealthTests : AppTest
{
    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task Health_endpoints_answer_200_without_a_session(string path)
    {
        var response = await App.Client().Get(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", (await response.Json()).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Ready_reports_the_database_and_the_key_ring()
    {
        var checks = (await (await App.Client().Get("/health/ready")).Json()).GetProperty("checks");

        Assert.Equal("Healthy", checks.GetProperty("database").GetString());
        Assert.Equal("Healthy", checks.GetProperty("keyRing").GetString());
    }

    [Trait("Storage", "LiteDb")]
    [Fact]
    public async Task Ready_fails_with_503_when_the_database_is_gone()
    {
        var client = App.Client();
        Assert.Equal(HttpStatusCode.OK, (await client.Get("/health/ready")).StatusCode);

        App.Service<SliceAuth.Data.LiteDb.LiteDbDatabase>().Dispose(); // what a closed or broken database looks like

        var response = await client.Get("/health/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.Get("/health/live")).StatusCode);
    }
}
