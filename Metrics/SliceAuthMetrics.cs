using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.RateLimiting;
using SliceAuth.Auth;
using SliceAuth.Data;

namespace SliceAuth.Metrics;

public enum LoginOutcome { Succeeded, Failed, Unverified, Throttled, Overloaded, SecondFactorRequired }

public enum RegistrationOutcome { Created, Conflict }

public enum SessionEndReason { Logout, Revoked, Expired }

/// <summary>
/// SliceAuth's own instruments, on one Meter ("SliceAuth") made by the host's <see cref="IMeterFactory"/>. It
/// exists whether or not Metrics:Enabled is set, so the product calls it unconditionally: without a listener
/// (OpenTelemetry is registered only when enabled) an instrument's Add is a check of one flag. Every label is
/// from a fixed set named in this file: never a username, an address or anything a client chooses.
/// </summary>
public sealed class SliceAuthMetrics
{
    public const string MeterName = "SliceAuth";

    // Seconds, around Auth:HashingMaxWait (1 s by default) for the wait and around a bcrypt hash for the duration.
    private static readonly double[] WaitBuckets = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10];
    private static readonly double[] HashBuckets = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.5, 0.75, 1, 2];

    private readonly Meter _meter;
    private readonly Counter<long> _logins;
    private readonly Counter<long> _registrations;
    private readonly Counter<long> _sessionsStarted;
    private readonly Counter<long> _sessionsEnded;
    private readonly Histogram<double> _queueWait;
    private readonly Histogram<double> _hashDuration;
    private readonly Counter<long> _hashingRefused;
    private readonly Counter<long> _rateLimited;
    private readonly Counter<long> _storageFaults;

    public SliceAuthMetrics(IMeterFactory meters)
    {
        _meter = meters.Create(MeterName);
        _logins = _meter.CreateCounter<long>("sliceauth.logins", "{login}",
            "POST /login requests past validation and the per-client limit, by outcome: succeeded, failed (unknown name or wrong password), unverified " +
            "(right password, address not verified), throttled (Auth:LoginThrottle), overloaded (bcrypt queue full, 503).");
        _registrations = _meter.CreateCounter<long>("sliceauth.registrations", "{registration}",
            "POST /register requests that reached the store, by outcome: created or conflict (name or email taken).");
        _sessionsStarted = _meter.CreateCounter<long>("sliceauth.sessions.started", "{session}",
            "Sessions stored: logins, and the new session a password change gives its caller.");
        _sessionsEnded = _meter.CreateCounter<long>("sliceauth.sessions.ended", "{session}",
            "Sessions ended by this instance, by reason: logout, revoked (one or all others), expired (presented after " +
            "its idle or absolute limit, or purged). Sessions ended by a password change, reset or account deletion are not counted.");
        _queueWait = _meter.CreateHistogram("sliceauth.password.queue_wait", "s",
            "How long a password hash or check waited for a bcrypt thread; past Auth:HashingMaxWait new ones get 503.",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = WaitBuckets });
        _hashDuration = _meter.CreateHistogram("sliceauth.password.duration", "s",
            "How long one bcrypt hash or check ran on its thread (Auth:BcryptWorkFactor decides).",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = HashBuckets });
        _hashingRefused = _meter.CreateCounter<long>("sliceauth.password.refused", "{request}",
            "Requests on any route answered 503 because the bcrypt queue was behind by more than Auth:HashingMaxWait.");
        _rateLimited = _meter.CreateCounter<long>("sliceauth.rate_limit.rejections", "{request}",
            "Requests refused with 429 by a per-client limit (RateLimiting), by policy: login, register, tokens.");
        _storageFaults = _meter.CreateCounter<long>("sliceauth.storage.faults", "{request}",
            "Requests answered 503 because the storage failed.");
    }

    public static SliceAuthMetrics Of(HttpContext http) => http.RequestServices.GetRequiredService<SliceAuthMetrics>();

    public void Login(LoginOutcome outcome) => _logins.Add(1, Tag("outcome", outcome));

    public void Registration(RegistrationOutcome outcome) => _registrations.Add(1, Tag("outcome", outcome));

    public void SessionStarted() => _sessionsStarted.Add(1);

    public void SessionsEnded(SessionEndReason reason, int count = 1)
    {
        if (count > 0) _sessionsEnded.Add(count, Tag("reason", reason));
    }

    /// <summary>The live-session gauge, read at each collection from the one cache this instance has.</summary>
    public void ObserveLiveSessions(Func<int> count) => _meter.CreateObservableGauge("sliceauth.sessions.live", count, "{session}",
        "Live sessions held in this instance's memory (Sessions:Cache=On): those presented here since they started " +
        "or since the cache was last cleared, until they end. Not the total across instances; 0 with the cache off.");

    /// <summary>Runs one queued bcrypt item, recording how long it waited and how long it ran.</summary>
    public void Hashing(TimeSpan waited, Action hash)
    {
        _queueWait.Record(waited.TotalSeconds);
        if (!_hashDuration.Enabled)
        {
            hash();
            return;
        }
        var started = Stopwatch.GetTimestamp();
        hash(); // the work item catches its own exceptions
        _hashDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);
    }

    /// <summary>A per-client limit refused a request on <paramref name="endpoint"/>; its policy is the label.</summary>
    public void RateLimited(Endpoint? endpoint) =>
        _rateLimited.Add(1, new KeyValuePair<string, object?>("policy",
            endpoint?.Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName ?? "none"));

    /// <summary>An exception reached the exception handler: counts the two that become a 503.</summary>
    public void Unhandled(IExceptionHandlerFeature? failure)
    {
        if (failure?.Error is PasswordWorkersBusyException)
        {
            _hashingRefused.Add(1);
            // StartsNewSession marks POST /login alone; the handler has already cleared the request's endpoint.
            if (failure.Endpoint?.Metadata.GetMetadata<StartsNewSession>() is not null) Login(LoginOutcome.Overloaded);
        }
        else if (failure?.Error is { } error && StorageFaults.IsStorageFault(error))
            _storageFaults.Add(1);
    }

    private static KeyValuePair<string, object?> Tag<T>(string name, T value) where T : struct, Enum =>
        new(name, Names<T>.Of(value));

    /// <summary>snake_case label values, computed once per enum value rather than per measurement.</summary>
    private static class Names<T> where T : struct, Enum
    {
        private static readonly Dictionary<T, string> ByValue = Enum.GetValues<T>()
            .ToDictionary(v => v, v => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(v.ToString()));

        public static string Of(T value) => ByValue[value];
    }
}
