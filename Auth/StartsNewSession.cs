namespace SliceAuth.Auth;

/// <summary>
/// Endpoint metadata: this route starts a new session, so a session presented to it is revoked while the
/// request is authenticated, before the endpoint runs, whatever the endpoint then decides (no session
/// fixation, and a failed login also ends the session it came with).
/// </summary>
public sealed class StartsNewSession;
