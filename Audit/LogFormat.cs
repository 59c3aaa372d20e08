namespace SliceAuth.Audit;

/// <summary>Logging:Format "text" (readable lines, the default) or "json" (one JSON object per line, for collectors).</summary>
public static class LogFormat
{
    public const string Key = "Logging:Format";

    public static ILoggingBuilder UseConfiguredFormat(this ILoggingBuilder logging, IConfiguration configuration)
    {
        RefuseUnknownLevels(configuration);
        var format = configuration[Key] ?? "text";
        logging.ClearProviders();
        switch (format.ToLowerInvariant())
        {
            case "json":
                logging.AddJsonConsole(o =>
                {
                    o.IncludeScopes = true;
                    o.UseUtcTimestamp = true;
                    o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
                });
                break;
            case "text":
                logging.AddSimpleConsole(o =>
                {
                    o.SingleLine = true;
                    o.UseUtcTimestamp = true;
                    o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
                });
                break;
            default:
                throw new Microsoft.Extensions.Options.OptionsValidationException(Key, typeof(string), [$"{Key} must be \"text\" or \"json\" (got \"{format}\")."]);
        }
        return logging;
    }

    /// <summary>Logging:LogLevel:* (and a provider's LogLevel) must name a level; the framework would crash with a stack trace.</summary>
    private static void RefuseUnknownLevels(IConfiguration configuration)
    {
        var errors = configuration.GetSection("Logging").AsEnumerable()
            .Where(e => e.Value is { Length: > 0 } && IsLevelKey(e.Key) && !Enum.TryParse<LogLevel>(e.Value, ignoreCase: true, out _))
            .Select(e => $"{e.Key} must be one of {string.Join(", ", Enum.GetNames<LogLevel>())} (got \"{e.Value}\").")
            .ToList();
        if (errors.Count > 0) throw new Microsoft.Extensions.Options.OptionsValidationException("Logging", typeof(LogLevel), errors);
    }

    private static bool IsLevelKey(string key) =>
        key.Split(':') is { Length: >= 3 } parts && parts[^2].Equals("LogLevel", StringComparison.OrdinalIgnoreCase);
}
