namespace Stoa.Foundation.Realtime;

/// <summary>
/// A bounded first-in first-out <see cref="IOutbox"/>: adding never waits; when <see cref="Capacity"/> messages or
/// <see cref="MaxBytes"/> bytes wait unsent, the next one is handled by the <see cref="OverflowRule"/>. Memory per
/// client is therefore bounded, whatever the client does: what waits here, plus one batch being written (at most
/// <see cref="MaxBatchBytes"/>, or a single larger message).
/// </summary>
public sealed class RealtimeQueue(int capacity, OverflowRule rule, long maxBytes = long.MaxValue) : IOutbox, IRealtimeListener
{
    private const int MaxBatch = 256;

    /// <summary>Bytes of messages one batch takes (it always takes at least one message).</summary>
    public const int MaxBatchBytes = 256 * 1024;

    private readonly Lock _gate = new();
    private readonly Queue<RealtimeMessage> _items = new();
    private TaskCompletionSource _signal = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource? _drained;
    private long _bytes;
    private bool _gap;
    private StreamEnd? _end;

    public int Capacity { get; } = capacity > 0 ? capacity : throw new ArgumentOutOfRangeException(nameof(capacity));

    public long MaxBytes { get; } = maxBytes > 0 ? maxBytes : throw new ArgumentOutOfRangeException(nameof(maxBytes));

    /// <summary>Bytes of the messages waiting.</summary>
    public long Bytes
    {
        get
        {
            lock (_gate)
            {
                return _bytes;
            }
        }
    }

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

            if (_items.Count >= Capacity || (_items.Count > 0 && _bytes + message.Data.Length > MaxBytes))
            {
                if (rule == OverflowRule.Close)
                {
                    _end = StreamEnd.TooSlow;
                    Drained();
                }
                else
                {
                    _gap = true;
                }

                _signal.TrySetResult();
                return false;
            }

            _items.Enqueue(message);
            _bytes += message.Data.Length;
            _signal.TrySetResult();
            return true;
        }
    }

    /// <summary>
    /// Completes once at most <paramref name="count"/> messages and <paramref name="bytes"/> bytes wait unsent, or the
    /// stream ended: a producer with much to send (a catch-up read page by page) sends at the client's pace instead of
    /// overflowing the queue.
    /// </summary>
    public async Task WaitUntilBelowAsync(int count, long bytes, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task drained;
            lock (_gate)
            {
                if ((_bytes <= bytes && _items.Count <= count) || _end is not null)
                {
                    return;
                }

                drained = (_drained ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
            }

            await drained.WaitAsync(cancellationToken);
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
            Drained();
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
            _bytes = 0;
            Drained();
            return new OutboxBatch([], End: _end);
        }

        var messages = new List<RealtimeMessage>(Math.Min(_items.Count, MaxBatch));
        var batchBytes = 0L;
        while (messages.Count < MaxBatch && batchBytes < MaxBatchBytes && _items.TryDequeue(out var message))
        {
            messages.Add(message);
            batchBytes += message.Data.Length;
        }

        _bytes -= batchBytes;
        if (messages.Count > 0)
        {
            Drained();
        }

        var batch = new OutboxBatch(messages, _gap);
        _gap = false;
        if (_items.Count == 0)
        {
            _signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        return batch;
    }

    private void Drained()
    {
        _drained?.TrySetResult();
        _drained = null;
    }
}
