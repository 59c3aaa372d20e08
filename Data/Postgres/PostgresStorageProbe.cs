namespace SliceAuth.Data.Postgres;

/// <summary>Readiness: a one-row write, so a read-only or failed-over server counts as not ready.</summary>
internal sealed class PostgresStorageProbe(PostgresDatabase db) : IStorageProbe
{
    public Task ProbeWriteAsync() => db.ExecuteAsync(
        "INSERT INTO metadata (key, value) VALUES ('readiness.probe', now()::text) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value");
}
