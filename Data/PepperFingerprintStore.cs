using LiteDB;
using SliceAuth.Auth;

namespace SliceAuth.Data;

/// <summary>The pepper's fingerprint as a document in the database, beside the hashes it vouches for.</summary>
internal sealed class PepperFingerprintStore(AppDatabase db) : IPepperFingerprintStore
{
    private const string Id = "pepper.fingerprint";

    public string? Read() => db.Metadata.FindById(Id)?["value"].AsString;

    // Insert, not upsert: a fingerprint once kept is never overwritten.
    public void Save(string fingerprint) => db.Write(d => d.Metadata.Insert(new BsonDocument { ["_id"] = Id, ["value"] = fingerprint }));
}
