using SliceAuth.Data.LiteDb;
using System.Net;
using System.Text;
using SliceAuth.Data;
using SliceAuth.Tests.Infrastructure;

namespace SliceAuth.Tests.Hardening;

/// <summary>16 KiB bodies at most: 413 problem, checked in process and against a real Kestrel.</summary>
public sealed class BodyLimitTests : IDisposable
{
    private readonly string _dir = TempDirectory.Create();

    private static string RegisterBody(int bytes) =>
        "{\"username\":\"big\",\"email\":\"big@example.com\",\"password\":\"" + new string('p', bytes) + "\"}";

    [Fact]
    public async Task A_declared_body_over_16_KiB_gets_413_problem_in_process()
    {
        using var app = new SliceAuthApp(_dir);

        var response = await app.Client().PostRaw("/register", RegisterBody(17 * 1024));

        await response.Problem(HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(0, app.StoredUserCount());
    }

    [Fact]
    public async Task Over_Kestrel_both_declared_and_chunked_bodies_over_16_KiB_get_413_problem()
    {
        using var app = AppProcess.Start(_dir);
        await app.WaitUntilReady();
        var client = app.Client();

        var declared = await client.PostRaw("/register", RegisterBody(17 * 1024));
        var chunked = await client.PostAsync("/register", new ChunkedJson(RegisterBody(40 * 1024)));

        await declared.Problem(HttpStatusCode.RequestEntityTooLarge);
        await chunked.Problem(HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(HttpStatusCode.Created, (await client.Register("small-enough")).StatusCode);
    }

    [Fact]
    public async Task A_body_just_under_the_limit_is_read()
    {
        using var app = new SliceAuthApp(_dir);

        // Read and validated (the password is too long), not refused for size.
        var problem = await (await app.Client().PostRaw("/register", RegisterBody(15 * 1024))).Problem(HttpStatusCode.BadRequest);

        Assert.NotEmpty(problem.FieldErrors("password"));
    }

    /// <summary>JSON sent without Content-Length, as a streaming client would.</summary>
    private sealed class ChunkedJson : HttpContent
    {
        private readonly byte[] _bytes;

        public ChunkedJson(string json)
        {
            _bytes = Encoding.UTF8.GetBytes(json);
            Headers.ContentType = new("application/json");
        }

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => stream.WriteAsync(_bytes).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }

    public void Dispose() => TempDirectory.Delete(_dir);
}
