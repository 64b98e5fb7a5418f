using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Stoa.Testing;

public sealed record LogEntry(string Category, LogLevel Level, string Message, Exception? Exception, IReadOnlyDictionary<string, object?> Scope);

/// <summary>Collects every log line the app writes, with its exception, so tests can check what the logs carry.</summary>
public sealed class LogCapture : ILoggerProvider, ISupportExternalScope
{
    private IExternalScopeProvider? _scopes;

    public ConcurrentQueue<LogEntry> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    private sealed class Logger(LogCapture owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            // The scopes carry what the JSON console prints with each line, TraceId and SpanId among them.
            var scope = new Dictionary<string, object?>(StringComparer.Ordinal);
            owner._scopes?.ForEachScope((value, dict) =>
            {
                if (value is IEnumerable<KeyValuePair<string, object?>> pairs)
                {
                    foreach (var (k, v) in pairs)
                    {
                        dict[k] = v;
                    }
                }
            }, scope);
            owner.Entries.Enqueue(new LogEntry(category, logLevel, formatter(state, exception), exception, scope));
        }
    }
}
