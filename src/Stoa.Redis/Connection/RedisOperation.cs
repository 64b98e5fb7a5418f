using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Threading.Tasks.Sources;
using Stoa.Redis.Protocol;

namespace Stoa.Redis.Connection;

/// <summary>
/// One request on the multiplexed connection: its serialised command(s) in a pooled buffer and the completion its
/// caller awaits. An operation may carry several commands whose replies are collected together (MULTI … EXEC,
/// CLIENT CACHING YES + GET): they are written as one contiguous block, so no other caller's command can land between
/// them. It completes exactly once, from whichever comes first: all replies, cancellation, timeout, connection loss.
/// </summary>
internal sealed class RedisOperation : IValueTaskSource<RespValue>
{
    private ManualResetValueTaskSourceCore<RespValue> _core;
    private byte[] _buffer;
    private int _length;
    private int _state;
    private int _received;
    private RespValue[]? _replies;
    private CancellationTokenRegistration _cancellation;

    /// <param name="expectedReplies">Number of replies that complete the operation; 0 completes it once written
    /// (SUBSCRIBE and friends, whose confirmations arrive as push frames).</param>
    public RedisOperation(int expectedReplies = 1, int initialCapacity = 128)
    {
        ExpectedReplies = expectedReplies;
        _buffer = ArrayPool<byte>.Shared.Rent(initialCapacity);
        _core.RunContinuationsAsynchronously = true;
    }

    public int ExpectedReplies { get; }

    /// <summary>Environment.TickCount64 after which the operation fails with a timeout.</summary>
    public long Deadline { get; private set; } = long.MaxValue;

    public bool IsCompleted => Volatile.Read(ref _state) != 0;

    public ReadOnlySpan<byte> Payload => _buffer.AsSpan(0, _length);

    public ValueTask<RespValue> AsValueTask() => new(this, _core.Version);

    public void Start(TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (timeout != Timeout.InfiniteTimeSpan)
        {
            Deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        }

        if (cancellationToken.CanBeCanceled)
        {
            _cancellation = cancellationToken.UnsafeRegister(
                static (state, token) => ((RedisOperation)state!).TrySetException(new OperationCanceledException(token)),
                this);
        }
    }

    /// <summary>Records one reply; returns true when it was the last one expected (the reader then drops the
    /// operation from the pending queue whether or not the caller is still waiting).</summary>
    public bool AddReply(in RespValue reply)
    {
        if (ExpectedReplies == 1)
        {
            TrySetResult(reply);
            return true;
        }

        _replies ??= new RespValue[ExpectedReplies];
        _replies[_received++] = reply;
        if (_received < ExpectedReplies)
        {
            return false;
        }

        TrySetResult(RespValue.FromAggregate(RespType.Array, _replies));
        return true;
    }

    public bool TrySetResult(in RespValue value)
    {
        if (Interlocked.Exchange(ref _state, 1) != 0)
        {
            return false;
        }

        _cancellation.Unregister();
        _core.SetResult(value);
        return true;
    }

    public bool TrySetException(Exception exception)
    {
        if (Interlocked.Exchange(ref _state, 1) != 0)
        {
            return false;
        }

        _cancellation.Unregister();
        _core.SetException(exception);
        return true;
    }

    /// <summary>Gives the buffer back to the pool; called once, by whoever last needs the bytes (the writer loop).</summary>
    public void ReleaseBuffer()
    {
        var buffer = Interlocked.Exchange(ref _buffer, []);
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        _length = 0;
    }

    public RespValue GetResult(short token) => _core.GetResult(token);

    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
        => _core.OnCompleted(continuation, state, token, flags);

    // Command serialisation: "*<n>\r\n" then "$<len>\r\n<bytes>\r\n" per argument.

    public RedisOperation Command(int argumentCount)
    {
        WriteHeader((byte)'*', argumentCount);
        return this;
    }

    public RedisOperation Arg(ReadOnlySpan<byte> value)
    {
        WriteHeader((byte)'$', value.Length);
        var span = Grow(value.Length + 2);
        value.CopyTo(span);
        span[value.Length] = (byte)'\r';
        span[value.Length + 1] = (byte)'\n';
        _length += value.Length + 2;
        return this;
    }

    public RedisOperation Arg(string value)
    {
        int byteCount = Encoding.UTF8.GetByteCount(value);
        WriteHeader((byte)'$', byteCount);
        var span = Grow(byteCount + 2);
        Encoding.UTF8.GetBytes(value, span);
        span[byteCount] = (byte)'\r';
        span[byteCount + 1] = (byte)'\n';
        _length += byteCount + 2;
        return this;
    }

    public RedisOperation Arg(long value)
    {
        Span<byte> digits = stackalloc byte[20];
        Utf8Formatter.TryFormat(value, digits, out int written);
        return Arg(digits[..written]);
    }

    public RedisOperation Arg(double value) => Arg(RespWriter.FormatDouble(value));

    /// <summary>An argument of the raw <c>ExecuteAsync</c>: strings are UTF-8, numbers invariant, bytes as they are.</summary>
    public RedisOperation Arg(object? value) => value switch
    {
        null => throw new ArgumentNullException(nameof(value), "Redis command arguments cannot be null."),
        string s => Arg(s),
        byte[] b => Arg(b.AsSpan()),
        ReadOnlyMemory<byte> m => Arg(m.Span),
        Memory<byte> m => Arg(m.Span),
        long l => Arg(l),
        int i => Arg(i),
        short s => Arg(s),
        double d => Arg(d),
        float f => Arg(f),
        bool b => Arg(b ? 1 : 0),
        IFormattable f => Arg(f.ToString(null, CultureInfo.InvariantCulture)),
        _ => Arg(value.ToString() ?? string.Empty),
    };

    private void WriteHeader(byte prefix, long number)
    {
        var span = Grow(24);
        span[0] = prefix;
        Utf8Formatter.TryFormat(number, span[1..], out int written);
        span[written + 1] = (byte)'\r';
        span[written + 2] = (byte)'\n';
        _length += written + 3;
    }

    private Span<byte> Grow(int needed)
    {
        if (_buffer.Length - _length < needed)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _length + needed));
            _buffer.AsSpan(0, _length).CopyTo(bigger);
            if (_buffer.Length > 0)
            {
                ArrayPool<byte>.Shared.Return(_buffer);
            }

            _buffer = bigger;
        }

        return _buffer.AsSpan(_length);
    }
}
