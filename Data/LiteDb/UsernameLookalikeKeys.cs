using LiteDB;
using SliceAuth.Accounts;

namespace SliceAuth.Data.LiteDb;

/// <summary>
/// Gives every account its look-alike key (<see cref="User.UsernameLookalikeKey"/>) before the service takes
/// requests, and keeps the key's unique index. Accounts from before the rule get theirs here, and all are
/// recomputed when the Unicode data changes (another ICU). Of existing accounts whose names look alike, the
/// oldest keeps the key; each newer one keeps logging in with its own name but reserves nothing (a key no
/// skeleton can equal), is named once in a warning, and takes the key at a later start once it is free.
/// </summary>
public static class UsernameLookalikeKeys
{
    // A skeleton is made of letters, marks, digits and the few symbols confusables.txt maps letters to; none
    // maps to '~', and none is followed by 32 hex digits of an account id: no real key equals one of these.
    // (Not a space: LiteDB's StartsWith does not find a prefix that begins with one.)
    private const string CollidedPrefix = "~collided:";
    private const string Field = nameof(User.UsernameLookalikeKey);
    private const string DataId = "usernameLookalikeData";

    public static void Prepare(LiteDbDatabase db, ILogger log)
    {
        var confusables = Confusables.Instance; // fails the start, in one line, without ICU
        var data = $"ICU {confusables.IcuVersion} (Unicode {confusables.UnicodeVersion})";
        // Debug, not Information: this runs before the pepper check, and a refused start prints one line only.
        log.LogDebug("Usernames that look alike are one name: UTS #39 confusables and scripts from {UnicodeData}", data);

        db.Write(d =>
        {
            var stored = d.Metadata.FindById(DataId)?["data"];
            // Another ICU may map characters differently: recompute every key. Otherwise only the missing ones
            // (accounts from before the rule) and the collided ones (their look-alike may be gone).
            var pending = (stored is not null && stored.AsString != data
                    ? d.Users.FindAll()
                    // Two index seeks: LiteDB answers an Or of them with a scan of every account (10 s at 1M).
                    : d.Users.Find(Query.EQ(Field, BsonValue.Null)).Concat(d.Users.Find(Query.StartsWith(Field, CollidedPrefix))))
                .OrderBy(u => u.CreatedAt).ThenBy(u => u.Id).ToList();

            if (pending.Count > 0)
            {
                // First a key that cannot collide for each, so the unique index can exist; then, oldest first,
                // the real one, with the index deciding who was first.
                var wasCollided = pending.Where(u => u.UsernameLookalikeKey?.StartsWith(CollidedPrefix) == true).Select(u => u.Id).ToHashSet();
                foreach (var user in pending) user.UsernameLookalikeKey = CollidedPrefix + user.Id.ToString("N");
                d.Users.Update(pending);
                d.Users.EnsureIndex(u => u.UsernameLookalikeKey, unique: true);
                foreach (var user in pending) Claim(d, user, wasCollided.Contains(user.Id), log);
            }
            d.Users.EnsureIndex(u => u.UsernameLookalikeKey, unique: true);
            d.Metadata.Upsert(new BsonDocument { ["_id"] = DataId, ["data"] = data });
        });
    }

    private static void Claim(LiteDbDatabase d, User user, bool wasCollided, ILogger log)
    {
        var placeholder = user.UsernameLookalikeKey;
        user.UsernameLookalikeKey = Usernames.LookalikeKey(user.Username);
        try
        {
            d.Users.Update(user);
        }
        catch (LiteException e) when (LiteDbFaults.IsDuplicateKey(e))
        {
            var key = user.UsernameLookalikeKey;
            user.UsernameLookalikeKey = placeholder;
            if (wasCollided) return; // reported at the start that found it
            var older = d.Users.FindOne(u => u.UsernameLookalikeKey == key);
            log.LogWarning(
                "Usernames {Newer} (account {NewerId}) and {Older} (account {OlderId}) look alike (same UTS #39 skeleton). " +
                "Both keep logging in; only the older one reserves the name against new look-alikes",
                user.Username, user.Id, older?.Username, older?.Id);
        }
    }
}
