using System.Diagnostics;
using System.Security.Cryptography;

namespace Reliability.Infra;

/// <summary>
/// One check's tally. Every assertion counts once; a failure prints what was asked, what came back and, where it
/// helps, the server's last log lines. The check prints "name: N passed, M failed" at the end.
/// </summary>
public sealed class Check(string name, Settings settings)
{
    private const int MaxPrintedFailures = 15;
    private readonly Lock _lock = new();
    private int _printed;

    public string Name { get; } = name;
    public Settings Settings { get; } = settings;
    public int Passed { get; private set; }
    public int Failed { get; private set; }

    /// <summary>Counts one assertion. Evidence is built only on failure.</summary>
    public bool That(bool ok, Func<string> evidence)
    {
        lock (_lock)
        {
            if (ok) { Passed++; return true; }
            Failed++;
            if (_printed++ < MaxPrintedFailures) Console.WriteLine($"  FAIL [{Name}] {evidence()}");
            else if (_printed == MaxPrintedFailures + 1) Console.WriteLine($"  FAIL [{Name}] (further failures counted, not printed)");
            return false;
        }
    }

    public bool That(bool ok, string evidence) => That(ok, () => evidence);

    public void Info(string line) => Console.WriteLine($"  [{Name}] {line}");

    /// <summary>A fresh directory for one server's data.</summary>
    public string NewDirectory(string label)
    {
        var dir = Path.Combine(Settings.WorkDir, $"{Name}-{label}-{Guid.NewGuid().ToString("N")[..8]}");
        Directory.CreateDirectory(dir);
        return dir;
    }
}

public static class Sys
{
    /// <summary>Runs a tool; returns its exit code and output. Bounded: killed after 60 s.</summary>
    public static (int Code, string Output) Run(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var p = Process.Start(start)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(60_000)) { p.Kill(true); return (-1, "timed out"); }
        return (p.ExitCode, (stdout.Result + stderr.Result).Trim());
    }

    public static string Sha256(string file) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(file)));

    /// <summary>Every file under a directory with its SHA-256 (relative path -> hash), for "untouched" comparisons.</summary>
    public static SortedDictionary<string, string> Snapshot(string dir) =>
        new(Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(dir, f), Sha256), StringComparer.Ordinal);

    public static string DescribeDifference(SortedDictionary<string, string> before, SortedDictionary<string, string> after)
    {
        var lines = new List<string>();
        foreach (var (f, h) in before)
            if (!after.TryGetValue(f, out var h2)) lines.Add($"{f} removed");
            else if (h != h2) lines.Add($"{f} changed");
        foreach (var f in after.Keys.Where(f => !before.ContainsKey(f))) lines.Add($"{f} added");
        return lines.Count == 0 ? "no difference" : string.Join("; ", lines);
    }

    public static bool IsRoot => Environment.UserName == "root" || geteuid() == 0;

    [System.Runtime.InteropServices.DllImport("libc")]
    private static extern uint geteuid();
}
