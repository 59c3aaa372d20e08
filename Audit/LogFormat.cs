namespace SliceAuth.Audit;

/// <summary>Logging:Format "text" (readable lines, the default) or "json" (one JSON object per line, for collectors).</summary>
public static class LogFormat
{
    public const string Key = "Logging:Format";

    public static ILoggingBuilder UseConfiguredFormat(this ILoggingBuilder logging, IConfiguration configuration)
    {
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
}
