using LiteDB;
using Microsoft.Extensions.DependencyInjection;
using SliceAuth.Data.LiteDb;
using SliceAuth.Tests.Infrastructure;

namespace SliceAuth.Tests.Storage.Contract;

/// <summary>The email store contract against the LiteDB provider, on a file in a temporary data directory.</summary>
[Trait("Storage", "LiteDb")]
public sealed class LiteDbEmailStoreContract : EmailStoreContract
{
    protected override IDisposable AddStorage(IServiceCollection services) => LiteDbContractStorage.Add(services);

    [Fact]
    public async Task An_account_written_before_EmailVerified_existed_reads_unverified()
    {
        var dir = TempDirectory.Create();
        try
        {
            var id = Guid.NewGuid();
            using (var old = new LiteDatabase(new ConnectionString { Filename = Path.Combine(dir, LiteDbDatabase.FileName) }))
                old.GetCollection("users").Insert(new BsonDocument
                {
                    ["_id"] = id, ["Username"] = "old", ["UsernameKey"] = "old", ["Email"] = "old@example.com",
                    ["EmailKey"] = "old@example.com", ["PasswordHash"] = "h", ["CredentialStamp"] = Guid.Empty, ["CreatedAt"] = DateTime.UtcNow,
                });

            using var db = new LiteDbDatabase(dir);
            var stored = await new LiteDbAccountStore(db).FindByIdAsync(id);

            Assert.Equal("old@example.com", stored!.Email);
            Assert.False(stored.EmailVerified);
        }
        finally
        {
            TempDirectory.Delete(dir);
        }
    }
}
