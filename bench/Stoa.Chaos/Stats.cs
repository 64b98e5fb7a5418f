using System.Collections.Concurrent;

namespace Stoa.Chaos;

/// <summary>Latencies and outcomes per endpoint, and every error with its time.</summary>
internal sealed class Stats
{
    private readonly ConcurrentDictionary<string, ConcurrentBag<double>> _latencies = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<(DateTime At, string Endpoint, Outcome Outcome)> _errors = new();
    private readonly ConcurrentDictionary<(string Endpoint, string Node), int> _answeredBy = new();
    private long _requests;
    private long _resends;

    public long Requests => Interlocked.Read(ref _requests);

    /// <summary>Requests sent a second time because the connection closed with no answer.</summary>
    public long Resends => Interlocked.Read(ref _resends);

    public void RecordResend() => Interlocked.Increment(ref _resends);

    public IReadOnlyCollection<(DateTime At, string Endpoint, Outcome Outcome)> Errors => _errors;

    public void Record(string endpoint, double milliseconds, Outcome outcome)
    {
        Interlocked.Increment(ref _requests);
        if (outcome.Node is { } node)
        {
            _answeredBy.AddOrUpdate((endpoint, node), 1, (_, n) => n + 1);
        }

        if (outcome.IsOk)
        {
            _latencies.GetOrAdd(endpoint, _ => []).Add(milliseconds);
        }
        else
        {
            _errors.Enqueue((DateTime.UtcNow, endpoint, outcome));
        }
    }

    public IEnumerable<(string Endpoint, int Count, double P50, double P99)> Percentiles() =>
        _latencies.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv =>
        {
            var sorted = kv.Value.Order().ToArray();
            return (kv.Key, sorted.Length, At(sorted, 0.50), At(sorted, 0.99));
        });

    /// <summary>How many answers to <paramref name="endpoint"/> each node gave, by node name.</summary>
    public IEnumerable<(string Node, int Count)> AnsweredBy(string endpoint) =>
        _answeredBy.Where(kv => kv.Key.Endpoint == endpoint).Select(kv => (kv.Key.Node, kv.Value)).OrderBy(n => n.Node, StringComparer.Ordinal);

    public void Reset()
    {
        _latencies.Clear();
        _errors.Clear();
        _answeredBy.Clear();
        Interlocked.Exchange(ref _requests, 0);
        Interlocked.Exchange(ref _resends, 0);
    }

    public int ErrorsFor(string endpoint) => _errors.Count(e => e.Endpoint == endpoint);

    private static double At(double[] sorted, double q) =>
        sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
}
