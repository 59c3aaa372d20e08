using System.Buffers.Text;
using System.Text.Json;
using SliceAuth.Data;

namespace SliceAuth.Passkeys;

/// <summary>
/// The server side of a ceremony's challenge: stored with the options it came with when they are sent, taken (once,
/// atomically) when the browser's answer names it. The answer's clientDataJSON is read here only to find which
/// challenge it claims; the WebAuthn library then verifies the whole answer against the stored options.
/// </summary>
public sealed class PasskeyChallenges(IPasskeyStore store, TimeProvider clock)
{
    /// <summary>How long a ceremony may take; the browser is told the same as its timeout.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    public DateTime Now()
    {
        // Stores keep milliseconds (LiteDB does): what is compared is what was stored.
        var now = clock.GetUtcNow().UtcDateTime;
        return now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMillisecond));
    }

    public Task IssueAsync(byte[] challenge, WebAuthnCeremony ceremony, Guid? accountId, string optionsJson)
    {
        var now = Now();
        return store.AddChallengeAsync(new WebAuthnChallenge
        {
            Challenge = Base64Url.EncodeToString(challenge),
            Ceremony = ceremony,
            AccountId = accountId,
            OptionsJson = optionsJson,
            CreatedAt = now,
            ExpiresAt = now + Lifetime,
        });
    }

    /// <summary>
    /// The live challenge of this ceremony that <paramref name="clientDataJson"/> names, deleted so it cannot be used
    /// again; null when it is unknown, expired, used or of the other ceremony.
    /// </summary>
    public async Task<WebAuthnChallenge?> TakeAsync(byte[] clientDataJson, WebAuthnCeremony ceremony) =>
        ChallengeOf(clientDataJson) is { } challenge ? await store.TakeChallengeAsync(challenge, ceremony, Now()) : null;

    private static string? ChallengeOf(byte[] clientDataJson)
    {
        try
        {
            using var json = JsonDocument.Parse(clientDataJson);
            return json.RootElement.ValueKind == JsonValueKind.Object
                && json.RootElement.TryGetProperty("challenge", out var challenge) && challenge.ValueKind == JsonValueKind.String
                && challenge.GetString() is { Length: > 0 and <= 512 } value
                    ? value
                    : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
