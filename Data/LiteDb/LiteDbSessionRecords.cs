namespace SliceAuth.Data.LiteDb;

/// <summary>Session records in LiteDB, indexed by handle, account, absolute end and last activity.</summary>
internal sealed class LiteDbSessionRecords(LiteDbDatabase db) : ISessionRecords
{
    public Task AddAsync(Session session)
    {
        db.Write(d => d.Sessions.Insert(session));
        return Task.CompletedTask;
    }

    public Task<Session?> FindAsync(string id) => Task.FromResult<Session?>(db.Read(d => d.Sessions.FindById(id)));

    // Find and update inside one serialised write: never an upsert, so a session deleted meanwhile stays deleted.
    public Task<bool> TouchAsync(string id, DateTime seenAt) => Task.FromResult(db.Write(d =>
    {
        if (d.Sessions.FindById(id) is not { } stored || stored.LastSeenAt >= seenAt) return false;
        stored.LastSeenAt = seenAt;
        return d.Sessions.Update(stored);
    }));

    public Task<IReadOnlyList<Session>> ListByAccountAsync(Guid accountId) =>
        Task.FromResult<IReadOnlyList<Session>>(db.Read(d => d.Sessions.Find(s => s.UserId == accountId).ToList()));

    public Task<bool> DeleteAsync(string id) => Task.FromResult(db.Write(d => d.Sessions.Delete(id)));

    public Task<bool> DeleteByHandleAsync(Guid accountId, string handle) =>
        Task.FromResult(db.Write(d => d.Sessions.DeleteMany(s => s.Handle == handle && s.UserId == accountId)) > 0);

    public Task<int> DeleteAllOfAccountAsync(Guid accountId, string? exceptHandle = null) => Task.FromResult(exceptHandle is null
        ? db.Write(d => d.Sessions.DeleteMany(s => s.UserId == accountId))
        : db.Write(d => d.Sessions.DeleteMany(s => s.UserId == accountId && s.Handle != exceptHandle)));

    public Task<int> PurgeExpiredAsync(DateTime now, DateTime idleCutoff) =>
        Task.FromResult(db.Write(d => d.Sessions.DeleteMany(s => s.ExpiresAt <= now || s.LastSeenAt <= idleCutoff)));
}
