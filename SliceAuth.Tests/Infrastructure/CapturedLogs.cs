using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace SliceAuth.Tests.Infrastructure;

/// <summary>Every log entry the app writes, with its structured values, for assertions about the logs.</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<Entry> _entries = new();

    public IReadOnlyList<Entry> Entries => _entries.ToArray();

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _entries);

    public void Dispose() { }

    public sealed record Entry(string Category, LogLevel Level, string? EventName, string Message, IReadOnlyDictionary<string, string?> Values, string? Exception)
    {
        /// <summary>All the text an entry could leak through: message, values and exception.</summary>
        public string AllText => string.Join('\n', [Message, .. Values.Select(v => $"{v.Key}={v.Value}"), Exception ?? ""]);
    }

    private sealed class Logger(string category, ConcurrentQueue<Entry> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs
                ? pairs.ToDictionary(p => p.Key, p => p.Value?.ToString())
                : new Dictionary<string, string?>();
            entries.Enqueue(new Entry(category, logLevel, eventId.Name, formatter(state, exception), values, exception?.ToString()));
        }
    }
}
