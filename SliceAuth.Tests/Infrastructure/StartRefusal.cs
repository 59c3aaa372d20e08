using System.Text.RegularExpressions;

namespace SliceAuth.Tests.Infrastructure;

/// <summary>
/// The README's promise for a start SliceAuth refuses: exit code 1 and, over stdout and stderr together,
/// exactly one line, "SliceAuth cannot start: ...", naming what to fix; no exception type, no stack frame.
/// </summary>
public static partial class StartRefusal
{
    public static async Task<string> AssertRefusedInOneLine(this AppProcess app, string names)
    {
        Assert.Equal(1, await app.WaitForExit(TimeSpan.FromSeconds(30)));
        var lines = app.Output.Where(l => !string.IsNullOrWhiteSpace(l)).ToList();
        var line = Assert.Single(lines);
        Assert.StartsWith("SliceAuth cannot start: ", line);
        Assert.Contains(names, line);
        Assert.DoesNotMatch(DotNetInternals(), line);
        return line;
    }

    // An exception type (FormatException, System.InvalidOperationException), a .NET type name, or a stack frame.
    [GeneratedRegex(@"Exception\b|\bSystem\.|\bMicrosoft\.|(^|\s)at \S+\(")]
    private static partial Regex DotNetInternals();
}
