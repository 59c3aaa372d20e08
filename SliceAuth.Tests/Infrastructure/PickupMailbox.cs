namespace SliceAuth.Tests.Infrastructure;

/// <summary>
/// The mail SliceAuth wrote as .eml files into a pickup directory (by default {data directory}/mail), read as a
/// developer would open them. Files are read in name order, which is the order they were written.
/// </summary>
public sealed class PickupMailbox(string directory) : MailboxBase
{
    /// <summary>The default pickup directory of an app under test.</summary>
    public PickupMailbox(SliceAuthApp app) : this(Path.Combine(app.DataDirectory, "mail")) { }

    public string Directory { get; } = directory;

    /// <summary>The complete messages: a file still being written has another extension until it is renamed.</summary>
    public IReadOnlyList<string> Files => System.IO.Directory.Exists(Directory)
        ? System.IO.Directory.GetFiles(Directory, "*.eml").Order(StringComparer.Ordinal).ToArray()
        : [];

    protected override IReadOnlyList<(string Key, Func<ReceivedMail> Read)> Arrived() =>
        Files.Select(path => (path, (Func<ReceivedMail>)(() => Parse(File.ReadAllText(path))))).ToArray();
}
