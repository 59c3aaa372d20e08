using SliceAuth.Data;

namespace SliceAuth.Auth;

/// <summary>
/// The second factor's writes that end or start sessions (<see cref="ISecondFactorStore"/>): the store deletes
/// and stores in one commit, this keeps the in-memory cache in step, as the credential writes do.
/// </summary>
public sealed partial class SessionStore
{
    /// <summary>
    /// Runs a write that deletes every session of the account but <paramref name="keepHandle"/> (TOTP turned on or
    /// off, codes replaced); the cache forgets them whatever the write answers.
    /// </summary>
    public Task<bool> EndingOtherSessionsAsync(Guid accountId, string? keepHandle, Func<Task<bool>> write) =>
        _cache.RemovingAsync(write, cached => cached.Session.UserId == accountId && cached.Session.Handle != keepHandle);

    /// <summary>
    /// A login completed by its second factor: a new session with a new token, stored by <paramref name="complete"/>
    /// together with the proof's consumption; null when the store refused (used proof, expired pending login).
    /// </summary>
    public async Task<NewSession?> StartAfterSecondFactorAsync(Guid accountId, string username, HttpContext http,
        Func<Session, DateTime, Task<bool>> complete)
    {
        var (session, started) = Prepare(accountId, username, http);
        if (!await complete(session, session.CreatedAt)) return null;
        metrics.SessionStarted();
        return started;
    }
}
