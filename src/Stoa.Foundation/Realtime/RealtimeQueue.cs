namespace Stoa.Foundation.Realtime;

/// <summary>
/// A bounded first-in first-out <see cref="IOutbox"/>: adding never waits; when <see cref="Capacity"/> messages wait
/// unsent, the next one is handled by the <see cref="OverflowRule"/>. Memory per client is therefore bounded by its
/// capacity times the size of a message, whatever the client does.
/// </summary>
public sealed class RealtimeQueue(int capacity, OverflowRule rule) : IOutbox, IRealtimeListener
{
    private const int MaxBatch = 256;

    private readonly Lock _gate = new();
    private readonly Queue<RealtimeMessage> _items = new();
    private TaskCompletionSource _signal = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _gap;
    private StreamEnd? _end;

    public int Capacity { get; } = capacity > 0 ? capacity : throw new ArgumentOutOfRangeException(nameof(capacity));

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _items.Count;
            }
        }
    }

    /// <summary>Queues the message; false when it was not queued (full, or the stream is ending).</summary>
    public bool TryEnqueue(RealtimeMessage message)
    {
        lock (_gate)
        {
            if (_end is not null)
            {
                return false;
            }

            if (_items.Count >= Capacity)
            {
                if (rule == OverflowRule.Close)
                {
                    _end = StreamEnd.TooSlow;
                }
                else
                {
                    _gap = true;
                }

                _signal.TrySetResult();
                return false;
            }

            _items.Enqueue(message);
            _signal.TrySetResult();
            return true;
        }
    }

    public void OnMessage(RealtimeMessage message) => TryEnqueue(message);

    public void OnGap() => SignalGap();

    /// <summary>Marks a gap for the next batch, even with nothing queued.</summary>
    public void SignalGap()
    {
        lock (_gate)
        {
            _gap = true;
            _signal.TrySetResult();
        }
    }

    /// <summary>Ends the stream now, dropping what is still queued; the first end given wins.</summary>
    public void End(StreamEnd end)
    {
        lock (_gate)
        {
            _end ??= end;
            _signal.TrySetResult();
        }
    }

    public async ValueTask<OutboxBatch> TakeAsync(TimeSpan idle, CancellationToken cancellationToken)
    {
        Task signal;
        lock (_gate)
        {
            if (_items.Count > 0 || _gap || _end is not null)
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
            return OutboxBatch.Idle;
        }

        lock (_gate)
        {
            return Drain();
        }
    }

    private OutboxBatch Drain()
    {
        if (_end is not null)
        {
            _items.Clear();
            return new OutboxBatch([], End: _end);
        }

        var messages = new List<RealtimeMessage>(Math.Min(_items.Count, MaxBatch));
        while (messages.Count < MaxBatch && _items.TryDequeue(out var message))
        {
            messages.Add(message);
        }

        var batch = new OutboxBatch(messages, _gap);
        _gap = false;
        if (_items.Count == 0)
        {
            _signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        return batch;
    }
}
