namespace SliceAuth.Audit;

/// <summary>
/// The audit trail: one structured event per account or session change, with the normalised username, the
/// client address and the session's public handle. Never a password, hash, pepper or cookie value.
/// Its own log category, so it can be routed or kept apart from the framework's logs. Each message starts
/// with the event's name ("login.failed: ..."): neither console format prints EventName, and the README
/// promises the names can be searched for in both.
/// </summary>
public sealed partial class AuditLog(ILoggerFactory loggers)
{
    public const string Category = "SliceAuth.Audit";

    private readonly ILogger _log = loggers.CreateLogger(Category);

    [LoggerMessage(EventId = 1001, EventName = "user.registered", Level = LogLevel.Information,
        Message = "user.registered: Registered {Username} from {ClientAddress}")]
    public partial void Registered(string username, string? clientAddress);

    [LoggerMessage(EventId = 1002, EventName = "login.succeeded", Level = LogLevel.Information,
        Message = "login.succeeded: Login succeeded for {Username} from {ClientAddress}, session {SessionHandle}")]
    public partial void LoginSucceeded(string username, string? clientAddress, string? sessionHandle);

    [LoggerMessage(EventId = 1003, EventName = "login.failed", Level = LogLevel.Warning,
        Message = "login.failed: Login failed for {Username} from {ClientAddress}")]
    public partial void LoginFailed(string username, string? clientAddress);

    [LoggerMessage(EventId = 1004, EventName = "logout", Level = LogLevel.Information,
        Message = "logout: Logout of {Username} from {ClientAddress}, session {SessionHandle}")]
    public partial void LoggedOut(string? username, string? clientAddress, string? sessionHandle);

    [LoggerMessage(EventId = 1005, EventName = "session.expired", Level = LogLevel.Information,
        Message = "session.expired: Session {SessionHandle} of {Username} expired ({Reason}), presented from {ClientAddress}")]
    public partial void SessionExpired(string username, string? clientAddress, string sessionHandle, string reason);

    [LoggerMessage(EventId = 1007, EventName = "session.revoked", Level = LogLevel.Information,
        Message = "session.revoked: Session(s) {RevokedHandle} of {Username} revoked from {ClientAddress}, session {SessionHandle}")]
    public partial void SessionsRevoked(string username, string? clientAddress, string? sessionHandle, string revokedHandle);

    [LoggerMessage(EventId = 1008, EventName = "password.changed", Level = LogLevel.Information,
        Message = "password.changed: Password of {Username} changed from {ClientAddress}; new session {SessionHandle}")]
    public partial void PasswordChanged(string username, string? clientAddress, string sessionHandle);

    [LoggerMessage(EventId = 1009, EventName = "account.deleted", Level = LogLevel.Information,
        Message = "account.deleted: Account {Username} deleted from {ClientAddress}, session {SessionHandle}")]
    public partial void AccountDeleted(string username, string? clientAddress, string? sessionHandle);

    [LoggerMessage(EventId = 1006, EventName = "session.purged", Level = LogLevel.Information,
        Message = "session.purged: Purged {Count} expired sessions")]
    public partial void SessionsPurged(int count);

    [LoggerMessage(EventId = 1010, EventName = "email.verification_sent", Level = LogLevel.Information,
        Message = "email.verification_sent: Verification mail for {Username} queued, caused from {ClientAddress}")]
    public partial void VerificationSent(string username, string? clientAddress);

    [LoggerMessage(EventId = 1011, EventName = "email.verified", Level = LogLevel.Information,
        Message = "email.verified: Address of {Username} verified from {ClientAddress}")]
    public partial void EmailVerified(string username, string? clientAddress);

    [LoggerMessage(EventId = 1012, EventName = "password.reset_requested", Level = LogLevel.Information,
        Message = "password.reset_requested: Reset mail for {Username} queued, asked from {ClientAddress}")]
    public partial void ResetRequested(string username, string? clientAddress);

    [LoggerMessage(EventId = 1013, EventName = "password.reset_unknown_address", Level = LogLevel.Information,
        Message = "password.reset_unknown_address: Reset asked from {ClientAddress} for an address no account has; no mail")]
    public partial void ResetRequestedForUnknownAddress(string? clientAddress);

    [LoggerMessage(EventId = 1014, EventName = "password.reset", Level = LogLevel.Information,
        Message = "password.reset: Password of {Username} reset through a mailed link from {ClientAddress}; every session revoked")]
    public partial void PasswordReset(string username, string? clientAddress);

    [LoggerMessage(EventId = 1015, EventName = "email.change_requested", Level = LogLevel.Information,
        Message = "email.change_requested: {Username} asked from {ClientAddress} to change the address; confirmation mail queued")]
    public partial void EmailChangeRequested(string username, string? clientAddress);

    [LoggerMessage(EventId = 1016, EventName = "email.changed", Level = LogLevel.Information,
        Message = "email.changed: Address of {Username} changed (confirmed from {ClientAddress})")]
    public partial void EmailChanged(string username, string? clientAddress);

    [LoggerMessage(EventId = 1017, EventName = "mail.suppressed", Level = LogLevel.Warning,
        Message = "mail.suppressed: {Kind} mail not sent: the limit per client or per address was reached, caused from {ClientAddress}")]
    public partial void MailSuppressed(string kind, string? clientAddress);

    [LoggerMessage(EventId = 1018, EventName = "token.rejected", Level = LogLevel.Warning,
        Message = "token.rejected: A wrong, used or expired {Kind} token was presented from {ClientAddress}")]
    public partial void TokenRejected(string kind, string? clientAddress);

    [LoggerMessage(EventId = 1019, EventName = "2fa.enrolment_started", Level = LogLevel.Information,
        Message = "2fa.enrolment_started: {Username} started a TOTP enrolment from {ClientAddress}, session {SessionHandle}")]
    public partial void TotpEnrolmentStarted(string username, string? clientAddress, string? sessionHandle);

    [LoggerMessage(EventId = 1020, EventName = "2fa.enabled", Level = LogLevel.Information,
        Message = "2fa.enabled: TOTP of {Username} enabled from {ClientAddress}, session {SessionHandle}; every other session revoked")]
    public partial void SecondFactorEnabled(string username, string? clientAddress, string? sessionHandle);

    [LoggerMessage(EventId = 1021, EventName = "2fa.disabled", Level = LogLevel.Information,
        Message = "2fa.disabled: TOTP of {Username} turned off from {ClientAddress}, session {SessionHandle}; every other session revoked")]
    public partial void SecondFactorDisabled(string username, string? clientAddress, string? sessionHandle);

    [LoggerMessage(EventId = 1022, EventName = "2fa.recovery_codes_replaced", Level = LogLevel.Information,
        Message = "2fa.recovery_codes_replaced: Recovery codes of {Username} replaced from {ClientAddress}, session {SessionHandle}; every other session revoked")]
    public partial void RecoveryCodesReplaced(string username, string? clientAddress, string? sessionHandle);

    [LoggerMessage(EventId = 1023, EventName = "login.second_factor_required", Level = LogLevel.Information,
        Message = "login.second_factor_required: Right password for {Username} from {ClientAddress}; waiting for the second factor")]
    public partial void SecondFactorRequired(string username, string? clientAddress);

    [LoggerMessage(EventId = 1024, EventName = "2fa.failed", Level = LogLevel.Warning,
        Message = "2fa.failed: A wrong, used or late second factor for {Username} from {ClientAddress}")]
    public partial void SecondFactorFailed(string username, string? clientAddress);

    [LoggerMessage(EventId = 1025, EventName = "2fa.recovery_code_used", Level = LogLevel.Information,
        Message = "2fa.recovery_code_used: {Username} used a recovery code from {ClientAddress}; {Left} left")]
    public partial void RecoveryCodeUsed(string username, string? clientAddress, int left);

    [LoggerMessage(EventId = 1026, EventName = "passkey.added", Level = LogLevel.Information,
        Message = "passkey.added: Passkey {PasskeyId} added to {Username} from {ClientAddress}, session {SessionHandle}")]
    public partial void PasskeyAdded(string username, string? clientAddress, string? sessionHandle, Guid passkeyId);

    [LoggerMessage(EventId = 1027, EventName = "passkey.removed", Level = LogLevel.Information,
        Message = "passkey.removed: Passkey {PasskeyId} of {Username} removed from {ClientAddress}, session {SessionHandle}")]
    public partial void PasskeyRemoved(string username, string? clientAddress, string? sessionHandle, Guid passkeyId);

    [LoggerMessage(EventId = 1028, EventName = "passkey.login_succeeded", Level = LogLevel.Information,
        Message = "passkey.login_succeeded: Passkey login with {PasskeyId} for {Username} from {ClientAddress}, session {SessionHandle}")]
    public partial void PasskeyLoginSucceeded(string username, string? clientAddress, string? sessionHandle, Guid passkeyId);

    [LoggerMessage(EventId = 1029, EventName = "passkey.login_failed", Level = LogLevel.Warning,
        Message = "passkey.login_failed: Passkey login refused from {ClientAddress}: {Reason}")]
    public partial void PasskeyLoginFailed(string? clientAddress, string reason);

    [LoggerMessage(EventId = 1030, EventName = "passkey.registration_refused", Level = LogLevel.Warning,
        Message = "passkey.registration_refused: A passkey for {Username} refused from {ClientAddress}: {Reason}")]
    public partial void PasskeyRegistrationRefused(string username, string? clientAddress, string reason);

    [LoggerMessage(EventId = 1031, EventName = "passkey.clone_suspected", Level = LogLevel.Warning,
        Message = "passkey.clone_suspected: Cloned authenticator suspected: passkey {PasskeyId} of account {AccountId} presented a signature counter that did not move forward, from {ClientAddress}")]
    public partial void PasskeyCloneSuspected(Guid accountId, string? clientAddress, Guid passkeyId);
}

public static class ClientAddressExtensions
{
    public static string? ClientAddress(this HttpContext http) => http.Connection.RemoteIpAddress?.ToString();
}
