using System.Collections;
using System.Reflection;
using LiteDB;

namespace SliceAuth.Data.LiteDb;

/// <summary>
/// Lets go of a LiteDB instance whose engine failed (a write the disk refused). LiteDB 5.0.20 leaves the
/// transaction that failed neither rolled back nor disposed, and that transaction's finalizer then throws on
/// the GC's thread ("discarded page must be writable"), which ends the process, often long after the fault
/// (LiteDB issue #2828). So its finalizers are suppressed first: the engine is closed, there is nothing left
/// for them to release but memory.
/// </summary>
internal static class FailedDatabase
{
    private static readonly Lazy<(FieldInfo Engine, FieldInfo Monitor, FieldInfo Transactions)> Private = new(() =>
    {
        var engine = typeof(LiteDatabase).GetField("_engine", BindingFlags.Instance | BindingFlags.NonPublic);
        var monitor = typeof(LiteDatabase).Assembly.GetType("LiteDB.Engine.LiteEngine")?.GetField("_monitor", BindingFlags.Instance | BindingFlags.NonPublic);
        var transactions = typeof(LiteDatabase).Assembly.GetType("LiteDB.Engine.TransactionMonitor")?.GetField("_transactions", BindingFlags.Instance | BindingFlags.NonPublic);
        return engine is null || monitor is null || transactions is null
            ? throw new InvalidOperationException("LiteDB's engine is not the 5.0.20 one SliceAuth was built against (its transaction monitor is missing).")
            : (engine, monitor, transactions);
    });

    public static void Release(LiteDatabase db)
    {
        var (engine, monitor, transactions) = Private.Value;
        if (monitor.GetValue(engine.GetValue(db)) is { } m && transactions.GetValue(m) is IDictionary open)
        {
            lock (open)
            {
                foreach (var transaction in open.Values) GC.SuppressFinalize(transaction!);
            }
        }

        try { db.Dispose(); }
        catch (Exception e) when (e is IOException or LiteException) { } // it failed; that is why it is let go
    }
}
