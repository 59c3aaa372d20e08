using System.Globalization;
using Microsoft.Extensions.Options;
using MimeKit;
using SliceAuth.Data;

namespace SliceAuth.Email;

/// <summary>
/// No SMTP configured: each message becomes an .eml file a developer opens in a mail client, so `dotnet run`
/// sends mail with nothing installed. One log line names the file, never what is in it (it holds the token).
/// </summary>
public sealed class PickupDirectoryTransport(IOptions<EmailOptions> options, IOptions<StorageOptions> storage,
    ILogger<PickupDirectoryTransport> logger) : IMailTransport
{
    public string Directory => options.Value.PickupDirectory.Length > 0
        ? Path.GetFullPath(options.Value.PickupDirectory)
        : Path.Combine(storage.Value.FullDataDirectory, "mail");

    public async Task SendAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        System.IO.Directory.CreateDirectory(Directory);
        // Named by time, so a listing in name order is the order they were sent.
        var name = $"{DateTime.UtcNow.ToString("yyyyMMdd'T'HHmmss.fffffff'Z'", CultureInfo.InvariantCulture)}-{Guid.NewGuid():N}";
        var temporary = Path.Combine(Directory, name + ".tmp");
        var final = Path.Combine(Directory, name + ".eml");
        try
        {
            // Written under another name and renamed: whoever watches for .eml files never reads half a message.
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
                await message.WriteToAsync(file, cancellationToken);
            File.Move(temporary, final);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
        logger.LogInformation("Mail written to {MailFile}", final);
    }
}
