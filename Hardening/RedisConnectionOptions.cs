using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace SliceAuth.Hardening;

/// <summary>
/// ConnectionStrings:Redis: when set, the per-client rate limits are counted in this Redis, shared by every
/// instance; when empty, each instance counts on its own. A StackExchange.Redis configuration string,
/// host:port[,option=value...] (it may carry a password: never echoed or logged).
/// </summary>
public sealed class RedisConnectionOptions
{
    public const string Key = "ConnectionStrings:Redis";

    public string? ConnectionString { get; set; }

    public bool IsSet => !string.IsNullOrWhiteSpace(ConnectionString);

    /// <summary>
    /// The client settings: short timeouts so that a lost Redis costs a request a moment, not seconds; no
    /// abort at start and no queue while disconnected, so that requests fall back at once and the client
    /// reconnects by itself. Timeouts written in the connection string win.
    /// </summary>
    public ConfigurationOptions ClientOptions()
    {
        var options = ConfigurationOptions.Parse("connectTimeout=2000,syncTimeout=1000,asyncTimeout=1000," + ConnectionString);
        options.AbortOnConnectFail = false;
        options.BacklogPolicy = BacklogPolicy.FailFast;
        options.ReconnectRetryPolicy = new LinearRetry(1000);
        options.ClientName ??= "sliceauth";
        return options;
    }
}

/// <summary>Refuses a connection string StackExchange.Redis would reject or silently read as no server at all.</summary>
internal sealed partial class RedisConnectionOptionsValidator : IValidateOptions<RedisConnectionOptions>
{
    private const string Shape = "host:port[,option=value...], for example 127.0.0.1:6379";

    public ValidateOptionsResult Validate(string? name, RedisConnectionOptions o) =>
        !o.IsSet || Problem(o.ConnectionString!) is not { } problem
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"{RedisConnectionOptions.Key} must be {Shape}: {problem}.");

    // Only option names and positions are quoted back: a value may be the password.
    private static string? Problem(string connectionString)
    {
        ConfigurationOptions parsed;
        try
        {
            parsed = ConfigurationOptions.Parse(connectionString);
        }
        catch (ArgumentException e)
        {
            var option = e.ParamName is { } name && OptionName().IsMatch(name) ? name : null;
            return (e, option) switch
            {
                (ArgumentOutOfRangeException, "port") => "a server's port is not between 1 and 65535",
                (ArgumentOutOfRangeException, { }) => $"the value of the option '{option}' is not of the kind it takes",
                (_, { }) => $"'{option}' is not an option StackExchange.Redis knows",
                _ => "it does not parse",
            };
        }
        // The parser drops an entry it cannot read as host:port ("127.0.0.1:abc") without a word.
        var endpoints = connectionString.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Count(part => !part.Contains('='));
        if (endpoints == 0) return "it names no server";
        if (parsed.EndPoints.Count != endpoints || parsed.EndPoints.Any(e => !IsHost(e)))
            return "a server entry is not host:port";
        return null;
    }

    private static bool IsHost(System.Net.EndPoint endpoint) => endpoint switch
    {
        System.Net.DnsEndPoint dns => Uri.CheckHostName(dns.Host) is not UriHostNameType.Unknown,
        _ => true,
    };

    [GeneratedRegex("^[A-Za-z$]+$")]
    private static partial Regex OptionName();
}
