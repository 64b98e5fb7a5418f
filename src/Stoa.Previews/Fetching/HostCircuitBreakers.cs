using System.Collections.Concurrent;
using Polly;
using Polly.CircuitBreaker;
using Stoa.Previews.Core;

namespace Stoa.Previews.Fetching;

/// <summary>
/// One Polly circuit breaker per upstream host, so a failing site stops costing us sockets and deadline time while
/// others are unaffected. The table is bounded: past <see cref="PreviewOptions.MaxTrackedHosts"/>, the least recently
/// used closed breakers are forgotten (an open one is kept, or forgetting would reopen the host early).
/// </summary>
internal sealed class HostCircuitBreakers
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly PreviewOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly Lock _trimLock = new();

    public HostCircuitBreakers(PreviewOptions options, TimeProvider timeProvider)
    {
        _options = options;
        _timeProvider = timeProvider;
    }

    /// <summary>
    /// The breaker settings Polly would refuse later with a less helpful message, each named by its key under
    /// <c>Stoa:Previews</c>; start-up reports them all.
    /// </summary>
    public static IEnumerable<string> Problems(PreviewOptions options)
    {
        if (options.BreakerMinimumThroughput < 2)
        {
            yield return "BreakerMinimumThroughput: must be at least 2.";
        }

        if (options.BreakerFailureRatio is <= 0 or > 1)
        {
            yield return "BreakerFailureRatio: must be more than 0 and at most 1.";
        }

        if (options.BreakerBreakDuration < TimeSpan.FromMilliseconds(500))
        {
            yield return "BreakerBreakDuration: must be at least 500 ms.";
        }

        if (options.BreakerSamplingDuration < TimeSpan.FromMilliseconds(500))
        {
            yield return "BreakerSamplingDuration: must be at least 500 ms.";
        }
    }

    public event Action<BreakerStateChange>? StateChanged;

    public int Count => _entries.Count;

    /// <summary>Runs <paramref name="action"/> through <paramref name="host"/>'s breaker.</summary>
    /// <exception cref="PreviewException"><see cref="PreviewErrors.UpstreamCircuitOpen"/> when the host's breaker is open.</exception>
    public async ValueTask<T> ExecuteAsync<T>(string host, Func<CancellationToken, ValueTask<T>> action, CancellationToken cancellationToken)
    {
        var entry = GetOrAdd(host);
        try
        {
            return await entry.Pipeline.ExecuteAsync(action, cancellationToken);
        }
        catch (BrokenCircuitException ex)
        {
            throw new PreviewException(PreviewErrors.UpstreamCircuitOpen, innerException: ex)
            {
                RetryAfter = ex.RetryAfter ?? _options.BreakerBreakDuration,
            };
        }
    }

    public BreakerState GetState(string host) =>
        _entries.TryGetValue(host, out var entry) ? ToState(entry.StateProvider.CircuitState) : BreakerState.Closed;

    public IEnumerable<BreakerStateChange> Snapshot()
    {
        foreach (var (host, entry) in _entries)
        {
            yield return new BreakerStateChange(host, ToState(entry.StateProvider.CircuitState));
        }
    }

    /// <summary>
    /// Whether an outcome counts against the host: timeouts (of its own making), unreachable, 5xx. A 4xx proves the
    /// host is up.
    /// </summary>
    internal static bool IsHostFailure(Exception exception) => exception is PreviewException { ChargedToHost: true } p && p.Code switch
    {
        PreviewErrors.UpstreamTimeout => true,
        PreviewErrors.UpstreamUnreachable => true,
        PreviewErrors.UpstreamStatus => p.UpstreamStatus >= 500,
        _ => false,
    };

    private static BreakerState ToState(CircuitState state) => state switch
    {
        CircuitState.Closed => BreakerState.Closed,
        CircuitState.HalfOpen => BreakerState.HalfOpen,
        _ => BreakerState.Open,
    };

    private Entry GetOrAdd(string host)
    {
        if (!_entries.TryGetValue(host, out var entry))
        {
            entry = _entries.GetOrAdd(host, h => new Entry(Create(h)));
            if (_entries.Count > _options.MaxTrackedHosts)
            {
                Trim();
            }
        }

        entry.LastUsed = _timeProvider.GetTimestamp();
        return entry;
    }

    private (ResiliencePipeline Pipeline, CircuitBreakerStateProvider StateProvider) Create(string host)
    {
        var stateProvider = new CircuitBreakerStateProvider();
        var pipeline = new ResiliencePipelineBuilder { TimeProvider = _timeProvider }
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                FailureRatio = _options.BreakerFailureRatio,
                MinimumThroughput = _options.BreakerMinimumThroughput,
                SamplingDuration = _options.BreakerSamplingDuration,
                BreakDuration = _options.BreakerBreakDuration,
                StateProvider = stateProvider,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } ex && IsHostFailure(ex)),
                OnOpened = _ => Raise(host, BreakerState.Open),
                OnHalfOpened = _ => Raise(host, BreakerState.HalfOpen),
                OnClosed = _ => Raise(host, BreakerState.Closed),
            })
            .Build();
        return (pipeline, stateProvider);
    }

    private ValueTask Raise(string host, BreakerState state)
    {
        StateChanged?.Invoke(new BreakerStateChange(host, state));
        return ValueTask.CompletedTask;
    }

    private void Trim()
    {
        // One trimmer at a time; others carry on; the table may briefly exceed the bound by the racing adds.
        if (!_trimLock.TryEnter())
        {
            return;
        }

        try
        {
            var excess = _entries.Count - _options.MaxTrackedHosts;
            if (excess <= 0)
            {
                return;
            }

            // Trim a tenth more than needed so that a stream of new hosts does not sort the table on every add.
            var victims = _entries
                .Where(e => e.Value.StateProvider.CircuitState == CircuitState.Closed)
                .OrderBy(e => e.Value.LastUsed)
                .Take(excess + (_options.MaxTrackedHosts / 10))
                .Select(e => e.Key)
                .ToList();
            foreach (var key in victims)
            {
                _entries.TryRemove(key, out _);
            }
        }
        finally
        {
            _trimLock.Exit();
        }
    }

    private sealed class Entry((ResiliencePipeline Pipeline, CircuitBreakerStateProvider StateProvider) parts)
    {
        public ResiliencePipeline Pipeline { get; } = parts.Pipeline;

        public CircuitBreakerStateProvider StateProvider { get; } = parts.StateProvider;

        public long LastUsed { get; set; }
    }
}
