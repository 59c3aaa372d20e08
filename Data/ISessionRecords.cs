namespace SliceAuth.Data;

/// <summary>
/// The stored session records (<see cref="Session"/>), keyed by the SHA-256 of the cookie's token. The live
/// check, cache and expiry policy are in <see cref="SliceAuth.Auth.SessionStore"/>; this is only what is stored.
/// Engine faults surface as <see cref="StorageUnavailableException"/>.
/// </summary>
public interface ISessionRecords
{
    Task AddAsync(Session session);

    Task<Session?> FindAsync(string id);

    /// <summary>Moves LastSeenAt forward to <paramref name="seenAt"/>; never back, and never recreates a deleted record.</summary>
    Task<bool> TouchAsync(string id, DateTime seenAt);

    /// <summary>Every record of the account, expired ones included, in no particular order.</summary>
    Task<IReadOnlyList<Session>> ListByAccountAsync(Guid accountId);

    Task<bool> DeleteAsync(string id);

    /// <summary>Deletes the account's session with this public handle; false when the account has none.</summary>
    Task<bool> DeleteByHandleAsync(Guid accountId, string handle);

    /// <summary>Deletes every session of the account but the one with <paramref name="exceptHandle"/>; returns how many.</summary>
    Task<int> DeleteAllOfAccountAsync(Guid accountId, string? exceptHandle = null);

    /// <summary>Deletes the records that ended at <paramref name="now"/> or were last seen at <paramref name="idleCutoff"/> or before.</summary>
    Task<int> PurgeExpiredAsync(DateTime now, DateTime idleCutoff);
}
