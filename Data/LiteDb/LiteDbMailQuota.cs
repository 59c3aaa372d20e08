namespace SliceAuth.Data.LiteDb;

/// <summary>
/// Mail quotas in LiteDB: the read and the write of a key's window are one serialised write, so concurrent
/// takes are counted one after the other and never exceed the limit. Keys compare as LiteDB's index does
/// (ignoring case and U+0000): keys that differ only so share one count, which only makes the limit stricter.
/// </summary>
internal sealed class LiteDbMailQuota(LiteDbDatabase db) : IMailQuota
{
    public Task<bool> TryTakeAsync(string key, int limit, TimeSpan window, DateTime now) => Task.FromResult(limit > 0 && db.Write(d =>
    {
        var current = d.MailQuota.FindById(key);
        if (current is null || current.EndsAt <= now)
        {
            d.MailQuota.Upsert(new MailQuotaWindow { Id = key, StartedAt = now, EndsAt = now + window, Used = 1 });
            return true;
        }
        if (current.Used >= limit) return false;
        current.Used++;
        return d.MailQuota.Update(current);
    }));

    public Task<int> ForgetEndedAsync(DateTime endedBefore) =>
        Task.FromResult(db.Write(d => d.MailQuota.DeleteMany(q => q.EndsAt < endedBefore)));
}
