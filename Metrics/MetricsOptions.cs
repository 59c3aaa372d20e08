using System.Net;
using Microsoft.Extensions.Options;

namespace SliceAuth.Metrics;

/// <summary>Metrics: OpenTelemetry metrics, scraped at /metrics (Prometheus text) and/or pushed over OTLP.</summary>
public sealed class MetricsOptions
{
    public const string Section = "Metrics";

    /// <summary>Off by default: nothing of OpenTelemetry is registered and /metrics does not exist.</summary>
    public bool Enabled { get; set; }

    /// <summary>
    /// The client networks (CIDR) /metrics answers; anyone else gets 404. Empty: loopback only. A list in the
    /// class would be appended to by the binder rather than replaced, so the default lives in <see cref="Networks"/>.
    /// </summary>
    public string[] AllowedNetworks { get; set; } = [];

    /// <summary>An OTLP collector (http://collector:4317); empty: no push, /metrics only.</summary>
    public string OtlpEndpoint { get; set; } = "";

    public static readonly IReadOnlyList<IPNetwork> Loopback = [IPNetwork.Parse("127.0.0.0/8"), IPNetwork.Parse("::1/128")];

    /// <summary>The allowed networks, parsed (the validator has refused the start for any that do not parse).</summary>
    public IReadOnlyList<IPNetwork> Networks() =>
        AllowedNetworks.Length == 0 ? Loopback : AllowedNetworks.Select(n => TryParseNetwork(n, out var network) ? network : throw new FormatException(n)).ToList();

    /// <summary>
    /// A network in CIDR notation, written with its base address: .NET would read 10.0.0.1/8 as 10.0.0.0/8, but
    /// whoever wrote it may have meant the one host, so it is refused rather than widened.
    /// </summary>
    public static bool TryParseNetwork(string? text, out IPNetwork network)
    {
        network = default;
        var cut = text?.IndexOf('/') ?? -1;
        return cut > 0
            && IPNetwork.TryParse(text.AsSpan().Trim(), out network)
            && IPAddress.TryParse(text.AsSpan(0, cut).Trim(), out var written)
            && written.Equals(network.BaseAddress);
    }
}

internal sealed class MetricsOptionsValidator : IValidateOptions<MetricsOptions>
{
    public ValidateOptionsResult Validate(string? name, MetricsOptions o)
    {
        var errors = o.AllowedNetworks
            .Select((network, i) => MetricsOptions.TryParseNetwork(network, out _) ? null
                : $"{MetricsOptions.Section}:AllowedNetworks:{i} must be a network written address/prefix-length with no bits set " +
                  $"past the prefix, for example 10.0.0.0/8 or fd00::/8 (got '{network}').")
            .OfType<string>()
            .ToList();
        if (o.OtlpEndpoint.Length > 0 && !(Uri.TryCreate(o.OtlpEndpoint, UriKind.Absolute, out var uri)
                && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)))
            errors.Add($"{MetricsOptions.Section}:OtlpEndpoint must be empty or an http(s) URL, for example http://collector:4317 (got '{o.OtlpEndpoint}').");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
