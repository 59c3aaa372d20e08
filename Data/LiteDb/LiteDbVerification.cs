using LiteDB;

namespace SliceAuth.Data.LiteDb;

/// <summary>
/// LiteDB keeps no page checksums, so a damaged page shows only when read: at start, read every document and
/// walk every index, rather than fail one user's login later.
/// </summary>
internal static class LiteDbVerification
{
    public static void ReadEverything(LiteDatabase db)
    {
        foreach (var name in db.GetCollectionNames())
        {
            var collection = db.GetCollection(name);
            foreach (var _ in collection.FindAll()) { }
            foreach (var index in db.GetCollection("$indexes").Find(Query.EQ("collection", name)))
                foreach (var _ in collection.Find(Query.All(index["name"].AsString))) { }
        }
    }
}
