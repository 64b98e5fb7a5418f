using System.Threading.Tasks.Sources;

namespace Stoa.Redis.Connection;

/// <summary>
/// Wakes the single writer loop. Unlike SemaphoreSlim, the writer's continuation runs inline on the thread that calls
/// <see cref="Set"/> (the caller enqueuing a command), so an idle connection writes and flushes a lone command without
/// a thread-pool hop. Only the writer waits; spurious wake-ups are allowed (the writer re-checks its queue).
/// </summary>
internal sealed class WriterSignal : IValueTaskSource
{
    private const int Idle = 0;
    private const int Signaled = 1;
    private const int Waiting = 2;

    private ManualResetValueTaskSourceCore<bool> _core;
    private int _state;

    public void Set()
    {
        if (Interlocked.Exchange(ref _state, Signaled) == Waiting)
        {
            _core.SetResult(true);
        }
    }

    public ValueTask WaitAsync()
    {
        if (Interlocked.CompareExchange(ref _state, Idle, Signaled) == Signaled)
        {
            return ValueTask.CompletedTask;
        }

        _core.Reset();
        if (Interlocked.CompareExchange(ref _state, Waiting, Idle) != Idle)
        {
            // Set() ran between the two exchanges.
            Volatile.Write(ref _state, Idle);
            return ValueTask.CompletedTask;
        }

        return new ValueTask(this, _core.Version);
    }

    public void GetResult(short token)
    {
        _core.GetResult(token);
    }

    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
        => _core.OnCompleted(continuation, state, token, flags);
}
