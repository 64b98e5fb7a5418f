using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Stoa.Foundation.Telemetry;

/// <summary>
/// A module's <see cref="System.Diagnostics.ActivitySource"/> and <see cref="System.Diagnostics.Metrics.Meter"/>, both
/// named <c>Stoa.&lt;Module&gt;</c> (<c>comments</c> → <c>Stoa.Comments</c>), which is what <c>/metrics</c>, the OTLP
/// exporters and the tracer listen to (<c>Stoa.*</c>).
/// </summary>
/// <remarks>
/// Naming convention, so that every module's telemetry reads the same way in Prometheus and in a trace viewer:
/// <list type="bullet">
/// <item>instruments are <c>stoa.&lt;module&gt;.&lt;thing&gt;</c> (<see cref="InstrumentName"/>), lower case, dot separated,
/// with a UCUM unit: <c>s</c> or <c>ms</c> for durations, <c>By</c> for sizes, <c>{request}</c>, <c>{vote}</c>… for counts.
/// The unit becomes the Prometheus suffix (<c>_seconds</c>, <c>_milliseconds</c>, <c>_bytes</c>; annotations in braces
/// add none) and counters get <c>_total</c>: <c>stoa.comments.votes</c> with unit <c>{vote}</c> is scraped as
/// <c>stoa_comments_votes_total</c>.</item>
/// <item>tags are a closed, small set of values (an outcome, a dialect, a status class): never a user id, a URL or a
/// host name, which would make one series per value. <c>/metrics</c> caps each instrument at 2,000 series.</item>
/// <item>spans are <c>&lt;module&gt;.&lt;operation&gt;</c> (<see cref="StartActivity"/>), for example <c>comments.store.insert</c>.</item>
/// </list>
/// A module registers one with <see cref="TelemetryServiceCollectionExtensions.AddModuleTelemetry"/> and builds its
/// instruments from it once, in its own singleton metrics class.
/// </remarks>
public class ModuleTelemetry : IDisposable
{
    private readonly bool _ownsMeter;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> _spanNames = new(StringComparer.Ordinal);

    /// <param name="module">The module's name as in <c>Stoa:Modules</c>: lower case letters, digits and underscores.</param>
    /// <param name="meterFactory">
    /// The host's factory, so that the meter belongs to this host: <c>/metrics</c> shows only its own host's meters when a
    /// process runs several (tests). Null creates a process-wide meter that this instance disposes.
    /// </param>
    public ModuleTelemetry(string module, IMeterFactory? meterFactory = null)
    {
        Module = ValidateModuleName(module);
        Name = SourceName(module);
        ActivitySource = new ActivitySource(Name);
        _ownsMeter = meterFactory is null;
        Meter = meterFactory?.Create(Name) ?? new Meter(Name);
    }

    /// <summary>The module name, as given: <c>comments</c>.</summary>
    public string Module { get; }

    /// <summary>The meter and activity source name: <c>Stoa.Comments</c>.</summary>
    public string Name { get; }

    public ActivitySource ActivitySource { get; }

    public Meter Meter { get; }

    /// <summary><c>Stoa.</c> and the module name in Pascal case (<c>link_cards</c> → <c>Stoa.LinkCards</c>).</summary>
    public static string SourceName(string module)
    {
        var parts = ValidateModuleName(module).Split('_', StringSplitOptions.RemoveEmptyEntries);
        return "Stoa." + string.Concat(parts.Select(p => char.ToUpperInvariant(p[0]) + p[1..]));
    }

    /// <summary><c>stoa.&lt;module&gt;.&lt;thing&gt;</c>: <c>InstrumentName("votes")</c> → <c>stoa.comments.votes</c>.</summary>
    public string InstrumentName(string thing)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(thing);
        return $"stoa.{Module}.{thing}";
    }

    /// <summary>
    /// Starts a span named <c>&lt;module&gt;.&lt;operation&gt;</c> under the current one; null when nothing listens or the
    /// trace is not sampled, so callers write <c>using var activity = telemetry.StartActivity("list");</c> and
    /// <c>activity?.SetTag(...)</c>.
    /// </summary>
    public Activity? StartActivity(string operation, ActivityKind kind = ActivityKind.Internal)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(operation);
        // Tracing off must cost nothing: no name is even put together when no listener would see the span.
        return ActivitySource.HasListeners() ? ActivitySource.StartActivity(SpanName(operation), kind) : null;
    }

    /// <summary><c>&lt;module&gt;.&lt;operation&gt;</c>, one string per operation for the life of the module.</summary>
    private string SpanName(string operation) => _spanNames.GetOrAdd(operation, static (op, module) => $"{module}.{op}", Module);

    /// <summary>
    /// Starts a span of its own trace, <c>&lt;module&gt;.&lt;operation&gt;</c>, whatever is current: the unit of work of a
    /// background loop (a feed tick, a poll), which is no part of the request or start-up that happened to start the
    /// loop. Sampled as any trace that starts here.
    /// </summary>
    public Activity? StartRootActivity(string operation, ActivityKind kind = ActivityKind.Internal)
    {
        var previous = Activity.Current;
        Activity.Current = null;
        var activity = StartActivity(operation, kind);
        if (activity is null)
        {
            Activity.Current = previous;
        }

        return activity;
    }

    public Counter<T> CreateCounter<T>(string thing, string? unit = null, string? description = null)
        where T : struct => Meter.CreateCounter<T>(InstrumentName(thing), unit, description);

    public UpDownCounter<T> CreateUpDownCounter<T>(string thing, string? unit = null, string? description = null)
        where T : struct => Meter.CreateUpDownCounter<T>(InstrumentName(thing), unit, description);

    /// <param name="buckets">Explicit bucket upper bounds; without them <c>/metrics</c> picks defaults from the unit.</param>
    public Histogram<T> CreateHistogram<T>(string thing, string? unit = null, string? description = null, IReadOnlyList<T>? buckets = null)
        where T : struct => Meter.CreateHistogram(InstrumentName(thing), unit, description, tags: null,
            advice: buckets is null ? null : new InstrumentAdvice<T> { HistogramBucketBoundaries = buckets });

    /// <summary>A gauge read when scraped or exported: <c>CreateObservableGauge("stream.clients", () => hub.Count, "{client}")</c>.</summary>
    public ObservableGauge<T> CreateObservableGauge<T>(string thing, Func<T> observe, string? unit = null, string? description = null)
        where T : struct => Meter.CreateObservableGauge(InstrumentName(thing), observe, unit, description);

    /// <summary>A gauge with one measurement per tag set (one per breaker host, per state…), read when scraped or exported.</summary>
    public ObservableGauge<T> CreateObservableGauge<T>(string thing, Func<IEnumerable<Measurement<T>>> observe, string? unit = null, string? description = null)
        where T : struct => Meter.CreateObservableGauge(InstrumentName(thing), observe, unit, description);

    /// <summary>A monotonic total kept elsewhere (a cache's hit count), read when scraped or exported.</summary>
    public ObservableCounter<T> CreateObservableCounter<T>(string thing, Func<T> observe, string? unit = null, string? description = null)
        where T : struct => Meter.CreateObservableCounter(InstrumentName(thing), observe, unit, description);

    /// <summary>A level kept elsewhere that goes up and down (entries in a cache), read when scraped or exported.</summary>
    public ObservableUpDownCounter<T> CreateObservableUpDownCounter<T>(string thing, Func<T> observe, string? unit = null, string? description = null)
        where T : struct => Meter.CreateObservableUpDownCounter(InstrumentName(thing), observe, unit, description);

    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            ActivitySource.Dispose();
            // A factory-created meter belongs to the factory (and the DI container) and is disposed with it.
            if (_ownsMeter)
            {
                Meter.Dispose();
            }
        }
    }

    private static string ValidateModuleName(string module)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(module);
        if (!char.IsAsciiLetterLower(module[0]) || !module.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_'))
        {
            throw new ArgumentException($"A module name is lower case letters, digits and underscores, starting with a letter: '{module}'.", nameof(module));
        }

        return module;
    }
}
