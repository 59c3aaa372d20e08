using LiteDB;
using SliceAuth.Auth;

namespace SliceAuth.Data.LiteDb;

/// <summary>The pepper's fingerprint as a document in the database, beside the hashes it vouches for.</summary>
public sealed class LiteDbPepperFingerprintStore(LiteDbDatabase db) : IPepperFingerprintStore
{
    private const string Id = "pepper.fingerprint";

    public string? Read() => db.Read(d => d.Metadata.FindById(Id)?["value"].AsString);

    /// <summary>Insert, not upsert: a fingerprint once kept is never overwritten.</summary>
    public void Save(string fingerprint)
    {
        try
        {
            db.Write(d => d.Metadata.Insert(new BsonDocument { ["_id"] = Id, ["value"] = fingerprint }));
        }
        catch (StorageUnavailableException e)
        {
            // Only at the first start of a data directory; starting without it would leave the pepper unchecked.
            throw new StorageUnavailableException(
                $"The pepper's fingerprint cannot be written to the database ({e.InnerException?.Message ?? e.Message}). Free space on the data directory's disk or fix its permissions, then start again.", e);
        }
    }
}
