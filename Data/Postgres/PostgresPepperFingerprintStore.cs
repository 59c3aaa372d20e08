using SliceAuth.Auth;

namespace SliceAuth.Data.Postgres;

/// <summary>The pepper's fingerprint as a row beside the hashes it vouches for; the first instance to save it wins.</summary>
internal sealed class PostgresPepperFingerprintStore(PostgresDatabase db) : IPepperFingerprintStore
{
    private const string Key = "pepper.fingerprint";

    public string? Read() => db.RunAsync(async connection =>
    {
        await using var select = PostgresDatabase.Command(connection, "SELECT value FROM metadata WHERE key = $1", Key);
        return await select.ExecuteScalarAsync() as string;
    }).GetAwaiter().GetResult();

    // Never overwritten: instances starting at once with different peppers both re-read the one that was kept.
    public void Save(string fingerprint) =>
        db.ExecuteAsync("INSERT INTO metadata (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING", Key, fingerprint)
            .GetAwaiter().GetResult();
}
