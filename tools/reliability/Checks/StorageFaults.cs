using System.Diagnostics;
using System.Text;
using Reliability.Infra;

namespace Reliability.Checks;

/// <summary>
/// Storage that is unusable at start-up (a read-only mount, a directory the server's user may not enter or write,
/// a corrupted database) must stop the start with a non-zero exit and a message naming the directory, leaving
/// every file byte-identical. A write that fails at run time (a full filesystem) must answer 503 problem+json and
/// leave no half-made user or session, report not-ready while full, and recover by itself once space is freed.
///
/// The machine runs as root, which ignores file permissions: read-only means a read-only tmpfs mount, and the
/// permission cases run the server as nobody (setpriv). The full filesystem is a small tmpfs filled up after start.
/// </summary>
public static class StorageFaults
{
    private static readonly TimeSpan ExitLimit = TimeSpan.FromSeconds(15);
    // README: the database reopens "within about a second of space coming back" (a 250 ms retry timer).
    private static readonly TimeSpan RecoveryLimit = TimeSpan.FromSeconds(1);
    private static readonly List<string> Mounts = [];
    private static readonly string[] ReadOnlyWords = ["read-only", "read only", "not writable", "permission", "denied", "cannot write", "can't write"];
    private static readonly string[] CorruptWords = ["corrupt", "damaged", "invalid", "not a LiteDB", "cannot be read", "unreadable", "restore"];

    public static async Task Run(Check c)
    {
        if (!c.That(Sys.IsRoot, "storage-faults needs root (mount, setpriv, chown); run it as root as CI does")) return;
        try
        {
            await ReadOnlyMount(c);
            await NoPermissionDirectory(c);
            await UnwritableFreshDirectory(c);
            await Corrupted(c, "header");
            await Corrupted(c, "middle");
            await FullFilesystem(c);
        }
        finally
        {
            Cleanup();
        }
    }

    /// <summary>Unmounts whatever this check mounted (also called when the run is interrupted).</summary>
    public static void Cleanup()
    {
        lock (Mounts)
        {
            foreach (var m in Mounts) Sys.Run("umount", "-l", m);
            Mounts.Clear();
        }
    }

    private static string? MountTmpfs(Check c, string label, string size)
    {
        var dir = c.NewDirectory(label);
        var (code, output) = Sys.Run("mount", "-t", "tmpfs", "-o", $"size={size},mode=0755", "tmpfs", dir);
        if (!c.That(code == 0, $"{label}: cannot mount a tmpfs on {dir} (needs root with CAP_SYS_ADMIN): {output}")) return null;
        lock (Mounts) Mounts.Add(dir);
        return dir;
    }

    /// <summary>Starts a server on the directory, registers users, logs one in, stops it with SIGTERM.</summary>
    private static async Task<List<(string User, string Password)>?> Populate(Check c, string data, string label, int users, int? uid = null)
    {
        using var server = Server.Start(c.Settings, data, $"{label} populate", uid);
        if (!c.That(await server.WaitReady(TimeSpan.FromSeconds(30)) is not null, () => $"{label}: the populating start was never ready\n{server.Tail()}"))
            return null;
        using var http = server.Client(timeout: TimeSpan.FromSeconds(10));
        var made = new List<(string, string)>();
        for (var i = 0; i < users; i++)
        {
            var user = $"{label.Replace("-", "")}u{i}";
            var password = $"storage secret {i * 7919:x}!";
            var r = await http.Register(user, $"{user}@storage.example", password);
            if (!c.That(r.Status == 201, () => $"{label}: set-up registration: {r}")) return null;
            made.Add((user, password));
        }
        var code = await server.Terminate(TimeSpan.FromSeconds(20));
        c.That(code == 0, () => $"{label}: the populating server did not stop cleanly (code {code})\n{server.Tail(10)}");
        return made;
    }

    /// <summary>
    /// The refused start: exits non-zero in time, never serves, and says which directory and what is wrong with it
    /// (one of the cause's words, so "in use by another instance" for a read-only disk does not pass).
    /// </summary>
    private static async Task ExpectRefusedStart(Check c, string label, string data, int? uid, SortedDictionary<string, string> before,
        Func<SortedDictionary<string, string>> after, string[] causeWords, (string User, string Password)? probe = null)
    {
        using var server = Server.Start(c.Settings, data, $"{label} refused", uid);
        // Serving (ready) is already the failure; otherwise it must exit within the limit.
        var served = await server.WaitReady(ExitLimit);
        var code = served is null ? await server.WaitExit(TimeSpan.FromSeconds(2)) : null;
        if (code is null)
        {
            using var http = server.Client(timeout: TimeSpan.FromSeconds(10));
            var ready = await http.Ready();
            var probeResult = probe is { } p ? $"; a login of '{p.User}' answered: {await http.Login(p.User, p.Password)}" : "";
            c.That(false, $"{label}: the server did not refuse to start: " +
                          (served is not null ? $"ready {served.Value.TotalMilliseconds:0} ms after its start" : $"still running {ExitLimit.TotalSeconds:0} s after its start") +
                          $"; /health/ready answered {ready.Status} {Reply.Clip(ready.Body, 200)}" +
                          probeResult + $"\n{Interesting(server)}");
            await server.Terminate(TimeSpan.FromSeconds(15));
        }
        else
        {
            c.That(code != 0, () => $"{label}: the start exited with code 0\n{server.Tail(15)}");
            var output = string.Join('\n', server.Output);
            var named = output.Contains(data);
            // The cause must be in the words, not in the path (this check's directory names contain "read-only").
            var words = output.Replace(data, "<data>").Replace(c.Settings.WorkDir, "<work>");
            var cause = causeWords.FirstOrDefault(w => words.Contains(w, StringComparison.OrdinalIgnoreCase));
            c.That(named && cause is not null, () => $"{label}: exit code {code}, but the output does not " +
                (named ? $"say what is wrong (none of: {string.Join(", ", causeWords)})" : $"name the data directory {data}") + $":\n{Interesting(server)}");
            c.Info($"{label}: exit code {code} after {server.SinceStart.TotalMilliseconds:0} ms" +
                   (output.Contains("Unhandled exception") ? " (an unhandled exception)" : "") + "; says: " +
                   Reply.Clip(server.Output.FirstOrDefault(l => l.Contains("Exception") || l.Contains("fail:") || l.Contains("crit:"))?.Trim() ?? server.Tail(3), 400));
        }
        var now = after();
        c.That(now.Count == before.Count && now.All(kv => before.TryGetValue(kv.Key, out var h) && h == kv.Value),
            () => $"{label}: the start changed the data directory: {Sys.DescribeDifference(before, now)}");
    }

    /// <summary>The lines worth showing: errors and the first lines of the log.</summary>
    private static string Interesting(Server server)
    {
        var lines = server.Output.Where(l => l.Contains("Exception") || l.Contains("fail:") || l.Contains("crit:") || l.Contains("error", StringComparison.OrdinalIgnoreCase))
            .Take(6).Select(l => "      " + Reply.Clip(l, 500)).ToList();
        return lines.Count > 0 ? string.Join('\n', lines) : server.Tail(12);
    }

    // (a) A read-only filesystem holding a good database; root cannot write it either.
    private static async Task ReadOnlyMount(Check c)
    {
        const string label = "read-only-mount";
        if (MountTmpfs(c, label, "64m") is not { } mount) return;
        var data = Path.Combine(mount, "data");
        if (await Populate(c, data, label, 5) is not { } users) return;
        var before = Sys.Snapshot(data);
        var (code, output) = Sys.Run("mount", "-o", "remount,ro", mount);
        if (!c.That(code == 0, $"{label}: remount read-only failed: {output}")) return;

        await ExpectRefusedStart(c, label, data, null, before, () => Sys.Snapshot(data), ReadOnlyWords, users[0]);

        Sys.Run("mount", "-o", "remount,rw", mount);
        await ExpectUsable(c, label, data, null, users);
    }

    // (a) A directory the server's (unprivileged) user may not enter, holding a good database.
    private static async Task NoPermissionDirectory(Check c)
    {
        const string label = "no-permission-dir";
        var data = Path.Combine(c.NewDirectory(label), "data");
        Directory.CreateDirectory(data);
        Sys.Run("chown", $"{Server.Nobody}:{Server.Nobody}", data);
        if (await Populate(c, data, label, 5, Server.Nobody) is not { } users) return;
        var before = Sys.Snapshot(data);
        File.SetUnixFileMode(data, UnixFileMode.None);
        try
        {
            await ExpectRefusedStart(c, label, data, Server.Nobody, before, () => Sys.Snapshot(data), ReadOnlyWords, users[0]);
        }
        finally
        {
            File.SetUnixFileMode(data, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        await ExpectUsable(c, label, data, Server.Nobody, users);
    }

    // (a) A fresh deployment whose data directory exists but is not writable by the server's user.
    private static async Task UnwritableFreshDirectory(Check c)
    {
        const string label = "unwritable-fresh-dir";
        var data = Path.Combine(c.NewDirectory(label), "data");
        Directory.CreateDirectory(data); // root's, 0755: nobody can read it, not write it
        File.SetUnixFileMode(data, (UnixFileMode)0b111_101_101);
        await ExpectRefusedStart(c, label, data, Server.Nobody, Sys.Snapshot(data), () => Sys.Snapshot(data), ReadOnlyWords);
    }

    // (b) A database file damaged while the service was stopped.
    private static async Task Corrupted(Check c, string where)
    {
        var label = $"corrupt-{where}";
        var data = Path.Combine(c.NewDirectory(label), "data");
        if (await Populate(c, data, label, 40) is not { } users) return;
        var file = Path.Combine(data, "sliceauth.db");
        var bytes = File.ReadAllBytes(file);
        var rng = new Random(c.Settings.Seed ^ where.GetHashCode(StringComparison.Ordinal));
        int offset, length;
        string victim = users[0].User;
        if (where == "header")
        {
            // Page 0 is LiteDB's header page: its page header, the "** This is a LiteDB file **" marker, the version.
            offset = 0;
            length = 128;
        }
        else
        {
            // The 8 KiB page that holds a user's document, garbled whole.
            victim = users[20].User;
            // The email is also a key in an index page; the document's page is the one that holds a PasswordHash.
            var at = IndexesOf(bytes, Encoding.UTF8.GetBytes($"{victim}@storage.example"))
                .FirstOrDefault(i => IndexesOf(bytes.AsSpan(i / 8192 * 8192, Math.Min(8192, bytes.Length - i / 8192 * 8192)).ToArray(), "PasswordHash"u8.ToArray()).Any(), -1);
            offset = at >= 0 ? at / 8192 * 8192 : bytes.Length / 2 / 8192 * 8192;
            length = Math.Min(8192, bytes.Length - offset);
            if (at < 0) c.Info($"{label}: the user's document was not found in the file; garbling the middle page instead");
        }
        var garbage = new byte[length];
        rng.NextBytes(garbage);
        Array.Copy(garbage, 0, bytes, offset, length);
        File.WriteAllBytes(file, bytes);
        c.Info($"{label}: overwrote bytes {offset}..{offset + length - 1} of {bytes.Length} in sliceauth.db");

        var before = Sys.Snapshot(data);
        await ExpectRefusedStart(c, label, data, null, before, () => Sys.Snapshot(data), CorruptWords, users.First(u => u.User == victim));
    }

    // (c) The filesystem fills up while the service runs.
    private static async Task FullFilesystem(Check c)
    {
        const string label = "full-filesystem";
        if (MountTmpfs(c, label, "8m") is not { } mount) return;
        var data = Path.Combine(mount, "data");
        using var server = Server.Start(c.Settings, data, label);
        if (!c.That(await server.WaitReady(TimeSpan.FromSeconds(30)) is not null, () => $"{label}: never ready\n{server.Tail()}")) return;
        using var http = server.Client(timeout: TimeSpan.FromSeconds(10));

        var regA = await http.Register("fullA", "fullA@storage.example", "full disk secret A");
        var loginA = await http.Login("fullA", "full disk secret A");
        if (!c.That(regA.Status == 201 && loginA.Status == 200, () => $"{label}: set-up: {regA} / {loginA}")) return;

        var filled = Fill(Path.Combine(mount, "filler"));
        c.Info($"{label}: filled the 8 MiB tmpfs with {filled / 1024} KiB; free now {new DriveInfo(mount).AvailableFreeSpace} B");

        // Each of these has to write: a new user; a new session.
        var regX = await http.Register("fullX", "fullX@storage.example", "full disk secret X");
        c.That(regX.Status == 503 && regX.IsProblem, () => $"{label}: a registration on a full disk answered {regX}\n{Interesting(server)}");
        var loginB = await http.Login("fullA", "full disk secret A");
        c.That(loginB.Status == 503 && loginB.IsProblem, () => $"{label}: a login (new session) on a full disk answered {loginB}\n{Interesting(server)}");
        // Readiness writes too, so a full disk takes the instance out of a load balancer's rotation.
        var ready = await http.Ready();
        c.That(ready.Status == 503, () => $"{label}: /health/ready on a full disk answered {ready}");
        c.Info($"{label}: while full, /health/ready answered {ready.Status}, a registration {regX.Status}, a login {loginB.Status}");

        // The service reopens the database by itself a few times a second; readiness says when it has. README
        // promises "within about a second": waited for up to 10 s so a slow recovery is told from none.
        File.Delete(Path.Combine(mount, "filler"));
        var freed = Stopwatch.StartNew();
        var recovered = await server.WaitReady(TimeSpan.FromSeconds(10)) is not null;
        var took = freed.Elapsed;
        if (!c.That(recovered, () => $"{label}: /health/ready was not 200 within 10 s of freeing space\n{Interesting(server)}")) return;
        c.That(took <= RecoveryLimit, () => $"{label}: /health/ready was 200 again only {took.TotalMilliseconds:0} ms after space was freed (README promises about a second; limit {RecoveryLimit.TotalMilliseconds:0} ms)\n{Interesting(server)}");
        c.Info($"{label}: ready again {took.TotalMilliseconds:0} ms after space was freed");

        // No half-made user: the failed registration's user does not exist and its name and email are free.
        var loginX = await http.Login("fullX", "full disk secret X");
        c.That(loginX.Status == 401, () => $"{label}: the user of the failed registration, after space was freed: login answered {loginX}");
        // No half-made session: whatever cookie the failed login set does not work.
        if (loginB.SessionCookie is { } ghost)
        {
            var p = await http.Protected(ghost);
            c.That(p.Status == 401, () => $"{label}: the cookie set by the failed login works: {p}");
        }
        var regX2 = await http.Register("fullX", "fullX@storage.example", "full disk secret X");
        c.That(regX2.Status == 201, () => $"{label}: registering the failed user again after space was freed: {regX2}\n{Interesting(server)}");
        var loginA2 = await http.Login("fullA", "full disk secret A");
        c.That(loginA2.Status == 200, () => $"{label}: login after space was freed: {loginA2}\n{Interesting(server)}");

        var code = await server.Terminate(TimeSpan.FromSeconds(20));
        c.That(code == 0, () => $"{label}: SIGTERM after the full disk: exit code {code?.ToString() ?? "none (killed)"}\n{server.Tail(10)}");

        // After a restart the data is consistent: the users the service acknowledged, nothing else.
        using var again = Server.Start(c.Settings, data, $"{label} restart");
        if (!c.That(await again.WaitReady(TimeSpan.FromSeconds(30)) is not null, () => $"{label}: the restart after the full disk was never ready\n{Interesting(again)}")) return;
        using var http2 = again.Client(timeout: TimeSpan.FromSeconds(10));
        var a = await http2.Login("fullA", "full disk secret A");
        c.That(a.Status == 200, () => $"{label}: after the restart fullA: {a}");
        var x = await http2.Login("fullX", "full disk secret X");
        c.That(x.Status == (regX2.Status == 201 ? 200 : 401), () => $"{label}: after the restart fullX (registered again: {regX2.Status}): {x}");
        await again.Terminate(TimeSpan.FromSeconds(20));
    }

    /// <summary>A usable directory again (permissions or mount restored): the users are there.</summary>
    private static async Task ExpectUsable(Check c, string label, string data, int? uid, List<(string User, string Password)> users)
    {
        using var server = Server.Start(c.Settings, data, $"{label} restored", uid);
        if (!c.That(await server.WaitReady(TimeSpan.FromSeconds(30)) is not null, () => $"{label}: with the directory usable again the start was never ready\n{Interesting(server)}")) return;
        using var http = server.Client(timeout: TimeSpan.FromSeconds(10));
        foreach (var (user, password) in users)
        {
            var r = await http.Login(user, password);
            c.That(r.Status == 200, () => $"{label}: with the directory usable again, {user} cannot log in: {r}");
        }
        await server.Terminate(TimeSpan.FromSeconds(20));
    }

    /// <summary>Writes until the filesystem refuses; returns the bytes written.</summary>
    private static long Fill(string path)
    {
        long written = 0;
        using var f = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.None);
        foreach (var chunk in new[] { 1 << 20, 64 << 10, 4 << 10, 512 })
        {
            var buffer = new byte[chunk];
            for (var i = 0; i < 10_000; i++)
            {
                try
                {
                    f.Write(buffer);
                    f.Flush(true);
                    written += chunk;
                }
                catch (IOException)
                {
                    break;
                }
            }
        }
        return written;
    }

    private static IEnumerable<int> IndexesOf(byte[] haystack, byte[] needle)
    {
        for (var i = 0; i <= haystack.Length - needle.Length; i++)
            if (haystack.AsSpan(i, needle.Length).SequenceEqual(needle)) yield return i;
    }
}
