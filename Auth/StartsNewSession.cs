namespace SliceAuth.Auth;

/// <summary>
/// Endpoint metadata: this route starts a new session, so a session presented to it is revoked before the
/// endpoint runs (no session fixation). The cookie handler would otherwise re-use the presented session's
/// key when the endpoint signs in.
/// </summary>
public sealed class StartsNewSession;
