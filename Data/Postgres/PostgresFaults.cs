using System.Net.Sockets;
using Npgsql;

namespace SliceAuth.Data.Postgres;

/// <summary>Which Npgsql errors mean "PostgreSQL cannot serve us now" (503, retry) rather than a bug in our SQL.</summary>
internal static class PostgresFaults
{
    public const string UniqueViolation = "23505";
    public const string ForeignKeyViolation = "23503";

    public static bool IsUnavailable(Exception e) => e switch
    {
        // Server-side errors: only the classes that say the server or the connection is the problem.
        PostgresException p => p.SqlState[..2] is "08" or "53" or "57" or "58" || p.SqlState is "40001" or "40P01",
        // Client-side: connection refused or broken, a timeout, the pool exhausted.
        NpgsqlException or SocketException or TimeoutException => true,
        _ => false,
    };

    public static StorageUnavailableException Unavailable(Exception e) =>
        new($"PostgreSQL is unavailable ({Describe(e)}).", e);

    // The message only: an exception's text never carries the connection string, but keep it to the cause.
    private static string Describe(Exception e) => e is PostgresException p ? $"{p.SqlState}: {p.MessageText}" : e.Message;
}
