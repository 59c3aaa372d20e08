using Npgsql;

namespace SliceAuth.Data.Postgres;

/// <summary>
/// The schema, as numbered SQL files shipped inside the assembly (<c>Migrations/NNNN_name.sql</c>) and the
/// version a database is at (<c>schema_version</c>). Migrating holds a PostgreSQL advisory lock, so instances
/// that all migrate on start at once apply each file exactly once, one after the other.
/// </summary>
public static class PostgresMigrations
{
    private const string ResourcePrefix = "SliceAuth.Migrations.";
    private const string LockKey = "sliceauth.schema_migrations";

    public sealed record Migration(int Version, string Name, string Sql);

    public static IReadOnlyList<Migration> All { get; } = Load();

    public static int Latest => All[^1].Version;

    /// <summary>Brings the database up to <see cref="Latest"/>; returns the version it was at.</summary>
    public static async Task<int> MigrateAsync(NpgsqlDataSource source, CancellationToken cancel = default)
    {
        await using var connection = await source.OpenConnectionAsync(cancel);
        await using (var take = new NpgsqlCommand($"SELECT pg_advisory_lock(hashtextextended('{LockKey}', 0))", connection))
        {
            take.CommandTimeout = 0; // another instance may be migrating; wait for it, however long
            await take.ExecuteNonQueryAsync(cancel);
        }
        await using (var create = new NpgsqlCommand("CREATE TABLE IF NOT EXISTS schema_version (version int NOT NULL)", connection))
            await create.ExecuteNonQueryAsync(cancel);

        var from = await CurrentVersionAsync(connection, cancel) ?? 0;
        if (from > Latest) throw new StorageUnavailableException(Newer(from));
        foreach (var migration in All.Where(m => m.Version > from))
        {
            await using var transaction = await connection.BeginTransactionAsync(cancel);
            await using (var apply = new NpgsqlCommand(migration.Sql, connection, transaction)) await apply.ExecuteNonQueryAsync(cancel);
            // The version is a trusted integer: two statements in one command take no positional parameters.
            await using (var record = new NpgsqlCommand(
                             $"DELETE FROM schema_version; INSERT INTO schema_version (version) VALUES ({migration.Version})", connection, transaction))
                await record.ExecuteNonQueryAsync(cancel);
            await transaction.CommitAsync(cancel);
        }
        // Closing the connection releases the lock too; say it explicitly so a pooled connection never keeps it.
        await using (var release = new NpgsqlCommand($"SELECT pg_advisory_unlock(hashtextextended('{LockKey}', 0))", connection))
            await release.ExecuteNonQueryAsync(cancel);
        return from;
    }

    /// <summary>The database's version, or null when it has never been migrated.</summary>
    public static async Task<int?> CurrentVersionAsync(NpgsqlConnection connection, CancellationToken cancel = default)
    {
        await using var exists = new NpgsqlCommand("SELECT to_regclass('schema_version') IS NOT NULL", connection);
        if (!(bool)(await exists.ExecuteScalarAsync(cancel))!) return null;
        await using var select = new NpgsqlCommand("SELECT max(version) FROM schema_version", connection);
        return await select.ExecuteScalarAsync(cancel) is int version ? version : null;
    }

    /// <summary>Null when the database is at <see cref="Latest"/>, else what the operator should do.</summary>
    public static string? Mismatch(int? version) => version switch
    {
        null => $"The PostgreSQL database has no SliceAuth schema (this SliceAuth needs version {Latest}): run `dotnet SliceAuth.dll migrate` " +
                "with the same settings, or set Storage:Postgres:MigrateOnStart=true.",
        < 0 => null,
        var v when v < Latest => $"The PostgreSQL database has schema version {v}, older than this SliceAuth's {Latest}: run " +
                                 "`dotnet SliceAuth.dll migrate` with the same settings, or set Storage:Postgres:MigrateOnStart=true.",
        var v when v > Latest => Newer(v.Value),
        _ => null,
    };

    private static string Newer(int version) =>
        $"The PostgreSQL database has schema version {version}, newer than this SliceAuth knows ({Latest}): run the SliceAuth release that migrated it, or a newer one.";

    private static List<Migration> Load()
    {
        var assembly = typeof(PostgresMigrations).Assembly;
        var migrations = assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            .Select(n =>
            {
                var name = n[ResourcePrefix.Length..^".sql".Length];
                using var reader = new StreamReader(assembly.GetManifestResourceStream(n)!);
                return new Migration(int.Parse(name[..name.IndexOf('_')], System.Globalization.CultureInfo.InvariantCulture), name, reader.ReadToEnd());
            })
            .OrderBy(m => m.Version)
            .ToList();
        // Numbered 1, 2, 3... with no gap: a missing file must not be skipped silently.
        if (migrations.Count == 0 || migrations.Select((m, i) => m.Version != i + 1).Any(gap => gap))
            throw new InvalidOperationException("The embedded PostgreSQL migrations are not numbered 1..N.");
        return migrations;
    }
}
