using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using SliceAuth.Data;
using SliceAuth.Data.LiteDb;
using SliceAuth.Data.Postgres;

namespace SliceAuth.Tests.Infrastructure;

/// <summary>
/// What the storage holds, read behind the API's back ("a rejected request changes nothing", "logout deletes
/// the record"), on whichever provider the app runs: the engine's own view, not the seam under test.
/// </summary>
public static class StoredData
{
    public static int StoredUserCount(this SliceAuthApp app) => app.StoredUsers().Count;

    public static int StoredSessionCount(this SliceAuthApp app) => app.StoredSessions().Count;

    public static IReadOnlyList<User> StoredUsers(this SliceAuthApp app) => Lite(app) is { } lite
        ? lite.Users.FindAll().ToList()
        : Query(app, "SELECT id, username_key, password_hash FROM users", r => new User
        {
            Id = r.GetGuid(0),
            UsernameKey = r.GetString(1),
            PasswordHash = r.GetString(2),
        });

    public static IReadOnlyList<Session> StoredSessions(this SliceAuthApp app) => Lite(app) is { } lite
        ? lite.Sessions.FindAll().ToList()
        : Query(app, "SELECT id, handle, user_id, last_seen_at, expires_at FROM sessions", r => new Session
        {
            Id = r.GetString(0),
            Handle = r.GetString(1),
            UserId = r.GetGuid(2),
            LastSeenAt = r.GetDateTime(3),
            ExpiresAt = r.GetDateTime(4),
        });

    /// <summary>Deletes every account in the engine, as an operator's hand would (the API is not asked).</summary>
    public static void DeleteAllStoredUsers(this SliceAuthApp app)
    {
        if (Lite(app) is { } lite) lite.Users.DeleteAll();
        else Query<int>(app, "DELETE FROM users", _ => 0);
    }

    private static LiteDbDatabase? Lite(SliceAuthApp app) => app.Services.GetService<LiteDbDatabase>();

    private static List<T> Query<T>(SliceAuthApp app, string sql, Func<NpgsqlDataReader, T> read)
    {
        using var connection = app.Service<PostgresDatabase>().Source.OpenConnection();
        using var command = new NpgsqlCommand(sql, connection);
        using var reader = command.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read()) rows.Add(read(reader));
        return rows;
    }
}
