namespace Stoa.Docs.Api;

/// <summary>
/// Relays one socket's cursor moves at most once per interval: a move inside the interval replaces the one waiting,
/// and the latest is sent when the interval ends. A client sending cursor frames as fast as it can reaches the other
/// editors (on every node) at the same steady rate as one sending a few.
/// </summary>
internal sealed class CursorCoalescer(TimeSpan interval, Func<int, Task> send, TimeProvider time) : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _closed = new();
    private int? _waiting;
    private long _nextAt;
    private Task _flush = Task.CompletedTask;

    /// <summary>How many moves were relayed (for tests).</summary>
    public int Sent { get; private set; }

    public void Move(int position)
    {
        TimeSpan wait;
        lock (_gate)
        {
            var first = _waiting is null;
            _waiting = position;
            if (!first)
            {
                return;
            }

            wait = _nextAt == 0 ? TimeSpan.Zero : time.GetElapsedTime(time.GetTimestamp(), _nextAt);
        }

        var flush = FlushAsync(wait > TimeSpan.Zero ? wait : TimeSpan.Zero);
        lock (_gate)
        {
            _flush = flush;
        }
    }

    private async Task FlushAsync(TimeSpan wait)
    {
        if (wait > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(wait, time, _closed.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        int position;
        lock (_gate)
        {
            if (_waiting is not { } waiting)
            {
                return;
            }

            position = waiting;
            _waiting = null;
            _nextAt = time.GetTimestamp() + (long)(interval.TotalSeconds * time.TimestampFrequency);
            Sent++;
        }

        await send(position);
    }

    public async ValueTask DisposeAsync()
    {
        _closed.Cancel();
        Task flush;
        lock (_gate)
        {
            flush = _flush;
        }

        await flush;
    }
}
