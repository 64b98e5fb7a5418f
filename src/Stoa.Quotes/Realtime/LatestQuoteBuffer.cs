using Stoa.Quotes.Core;

namespace Stoa.Quotes.Realtime;

/// <summary>
/// What one stream client has not been sent yet: the latest quote per (symbol, source), and a signal. Offering never
/// blocks and never grows the buffer past two entries per symbol, so a slow client only ever skips intermediate
/// ticks (it still gets the latest) and never holds up the node's fan-out to the others.
/// </summary>
internal sealed class LatestQuoteBuffer
{
    private readonly object _gate = new();
    private Dictionary<(string Symbol, bool Own), Quote> _pending = [];
    private TaskCompletionSource _signal = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _coalesced;

    /// <summary>Ticks replaced by a newer one before the client could be sent them.</summary>
    public long Coalesced => Interlocked.Read(ref _coalesced);

    /// <param name="own">True for the app's own quote (an override), false for the market's.</param>
    public void Offer(Quote quote, bool own)
    {
        lock (_gate)
        {
            var key = (quote.Symbol, own);
            if (_pending.TryGetValue(key, out var pending))
            {
                if (pending.Seq >= quote.Seq)
                {
                    return;
                }

                _coalesced++;
            }

            _pending[key] = quote;
            _signal.TrySetResult();
        }
    }

    /// <summary>Wakes a waiting <see cref="TakeAsync"/> with nothing new, so that its caller looks at its own state.</summary>
    public void Wake()
    {
        lock (_gate)
        {
            _signal.TrySetResult();
        }
    }

    /// <summary>Everything pending, waiting for something if nothing is; empty when <paramref name="idle"/> passed first.</summary>
    public async ValueTask<IReadOnlyList<(Quote Quote, bool Own)>> TakeAsync(TimeSpan idle, CancellationToken cancellationToken)
    {
        Task signal;
        lock (_gate)
        {
            if (_pending.Count > 0)
            {
                return Drain();
            }

            signal = _signal.Task;
        }

        try
        {
            await signal.WaitAsync(idle, cancellationToken);
        }
        catch (TimeoutException)
        {
            return [];
        }

        lock (_gate)
        {
            return Drain();
        }
    }

    private List<(Quote Quote, bool Own)> Drain()
    {
        var items = new List<(Quote, bool)>(_pending.Count);
        foreach (var ((_, own), quote) in _pending)
        {
            items.Add((quote, own));
        }

        _pending = new Dictionary<(string Symbol, bool Own), Quote>(Math.Max(4, items.Count));
        if (_signal.Task.IsCompleted)
        {
            _signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        return items;
    }
}
