using Npgsql;

namespace SliceAuth.Data.Postgres;

/// <summary>
/// The connection pool, and the one place engine errors become <see cref="StorageUnavailableException"/>:
/// every store runs its SQL through <see cref="RunAsync{T}"/>. A statement returns only after PostgreSQL
/// committed it (synchronous_commit), so what a response acknowledges survives a crash of this process.
/// </summary>
public sealed class PostgresDatabase(NpgsqlDataSource source) : IAsyncDisposable, IDisposable
{
    public NpgsqlDataSource Source => source;

    /// <summary>Runs <paramref name="work"/> on a pooled connection; unavailability surfaces as <see cref="StorageUnavailableException"/>.</summary>
    public async Task<T> RunAsync<T>(Func<NpgsqlConnection, Task<T>> work)
    {
        try
        {
            await using var connection = await source.OpenConnectionAsync();
            return await work(connection);
        }
        catch (Exception e) when (PostgresFaults.IsUnavailable(e))
        {
            throw PostgresFaults.Unavailable(e);
        }
    }

    /// <summary>Runs <paramref name="work"/> in one transaction, committed before this returns.</summary>
    public Task<T> InTransactionAsync<T>(Func<NpgsqlConnection, NpgsqlTransaction, Task<T>> work) => RunAsync(async connection =>
    {
        await using var transaction = await connection.BeginTransactionAsync();
        var result = await work(connection, transaction);
        await transaction.CommitAsync();
        return result;
    });

    /// <summary>
    /// PostgreSQL's text cannot hold U+0000 (it refuses the statement), so no stored value contains it: a
    /// lookup of such a value from a request (a login name) finds nothing.
    /// </summary>
    public static bool CannotBeStored(string value) => value.Contains('\0');

    public static NpgsqlCommand Command(NpgsqlConnection connection, string sql, params object?[] values)
    {
        var command = new NpgsqlCommand(sql, connection);
        foreach (var value in values) command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        return command;
    }

    public Task<int> ExecuteAsync(string sql, params object?[] values) => RunAsync(async connection =>
    {
        await using var command = Command(connection, sql, values);
        return await command.ExecuteNonQueryAsync();
    });

    public ValueTask DisposeAsync() => source.DisposeAsync();

    public void Dispose() => source.Dispose();
}
