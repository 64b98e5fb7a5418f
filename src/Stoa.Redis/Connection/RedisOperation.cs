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
    private int _askingPrefix;
    private string? _slotKey;
    private List<RespValue>? _errors;

    /// <param name="expectedReplies">Number of replies that complete the operation; 0 completes it once written
    /// (SUBSCRIBE and friends, whose confirmations arrive as push frames).</param>
    public RedisOperation(int expectedReplies = 1, int initialCapacity = 128)
    {
        ExpectedReplies = expectedReplies;
        _buffer = ArrayPool<byte>.Shared.Rent(initialCapacity);
        _core.RunContinuationsAsynchronously = true;
    }

    public int ExpectedReplies { get; }

    /// <summary>The cluster slot of the keys written with <see cref="Key(string)"/>, or -1 when there is none (the
    /// command may go to any node).</summary>
    public int Slot { get; private set; } = -1;

    /// <summary>A second slot when the keys do not all hash to <see cref="Slot"/>, otherwise -1.</summary>
    public int ConflictingSlot { get; private set; } = -1;

    /// <summary>For the cluster router: the writer leaves the payload in place (instead of returning it to the pool)
    /// so that a redirected block can be sent again; the router releases it once the reply is final.</summary>
    public bool KeepsPayload { get; set; }

    /// <summary>
    /// For (S)(UN)SUBSCRIBE + PING blocks: the subscription commands answer with push frames when they succeed and with
    /// an error reply when they fail (<c>MOVED</c>, <c>CROSSSLOT</c>, <c>NOPERM</c>), so the number of replies is not
    /// known in advance. Up to this many error replies are collected until the PING's reply completes the block, as an
    /// array [errors…, reply] when there were errors. More errors than that is a protocol violation.
    /// </summary>
    public int ErrorsBeforeReply { get; init; }

    /// <summary>True when the block starts with an ASKING the caller did not write (its reply is not the caller's).</summary>
    public bool HasAskingPrefix => _askingPrefix > 0;

    /// <summary>The caller's span for this command, when it is traced: the writer links the flush that sends it.</summary>
    public System.Diagnostics.Activity? Span { get; set; }

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
        if (ErrorsBeforeReply > 0)
        {
            return AddReplyAfterErrors(reply);
        }

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

    private bool AddReplyAfterErrors(in RespValue reply)
    {
        if (reply.IsError)
        {
            (_errors ??= []).Add(reply);
            return _errors.Count <= ErrorsBeforeReply
                ? false
                : throw new RedisProtocolException($"The server sent more error replies than the {ErrorsBeforeReply} subscription command(s) it was sent.");
        }

        TrySetResult(_errors is null ? reply : RespValue.FromAggregate(RespType.Array, [.. _errors, reply]));
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

    /// <summary>An argument that is a key: written like any string, and its slot recorded for cluster routing.</summary>
    public RedisOperation Key(string key)
    {
        int start = _length;
        Arg(key);
        return RecordSlot(start, key);
    }

    /// <summary>A key given as a raw <c>ExecuteAsync</c> argument (see <see cref="Arg(object?)"/>).</summary>
    public RedisOperation Key(object? key)
    {
        int start = _length;
        Arg(key);
        return RecordSlot(start, key as string);
    }

    /// <inheritdoc cref="Key(string)"/>
    public RedisOperation Key(ReadOnlySpan<byte> key)
    {
        int start = _length;
        Arg(key);
        return RecordSlot(start, null);
    }

    /// <summary>Records the slot of the bulk string written from <paramref name="start"/>, hashed from the bytes as
    /// they were sent (no second encoding).</summary>
    private RedisOperation RecordSlot(int start, string? key)
    {
        var written = _buffer.AsSpan(start, _length - start);
        var bytes = written[(written.IndexOf((byte)'\n') + 1)..^2];
        int slot = RedisHashSlot.Of(bytes);
        if (Slot < 0)
        {
            Slot = slot;
            _slotKey = key;
        }
        else if (slot != Slot && ConflictingSlot < 0)
        {
            ConflictingSlot = slot;
            ConflictingKeys = (_slotKey, key);
        }

        return this;
    }

    /// <summary>The first key of each of <see cref="Slot"/> and <see cref="ConflictingSlot"/> (null when given as bytes).</summary>
    public (string? First, string? Second) ConflictingKeys { get; private set; }

    /// <summary>Routes a keyless block to the node that owns <paramref name="slot"/> (a script loaded where it is
    /// about to run).</summary>
    public RedisOperation PinToSlot(int slot)
    {
        if (Slot < 0)
        {
            Slot = slot;
        }

        return this;
    }

    /// <summary>
    /// A fresh operation carrying the same commands, for a block the cluster answered with a redirect (nothing in it
    /// ran): it takes over this one's payload, which must not be used afterwards. With <paramref name="asking"/> the
    /// block is preceded by ASKING, whose reply <see cref="WithoutAskingReply"/> removes; a previous ASKING is dropped.
    /// </summary>
    public RedisOperation ContinueAs(bool asking)
    {
        int callerReplies = ExpectedReplies - (HasAskingPrefix ? 1 : 0);
        var next = new RedisOperation(callerReplies + (asking ? 1 : 0), initialCapacity: 0)
        {
            Slot = Slot,
            ConflictingSlot = ConflictingSlot,
            KeepsPayload = KeepsPayload,
            Span = Span,
        };
        var buffer = Interlocked.Exchange(ref _buffer, []);
        if (asking)
        {
            next.Command(1).Arg("ASKING"u8);
            next._askingPrefix = next._length;
        }

        var payload = buffer.AsSpan(_askingPrefix, _length - _askingPrefix);
        if (asking || _askingPrefix > 0)
        {
            payload.CopyTo(next.Grow(payload.Length));
            next._length += payload.Length;
            ArrayPool<byte>.Shared.Return(buffer);
        }
        else
        {
            // next._buffer is the empty array Rent(0) gives: nothing to return.
            next._buffer = buffer;
            next._length = _length;
        }

        _length = 0;
        return next;
    }

    /// <summary>The caller's reply from a block that began with ASKING.</summary>
    public RespValue WithoutAskingReply(in RespValue reply)
    {
        if (!HasAskingPrefix)
        {
            return reply;
        }

        var items = reply.Items;
        return items.Length == 2 ? items[1] : RespValue.FromAggregate(RespType.Array, items[1..].ToArray());
    }

    /// <summary>The replies of the caller's commands, for looking for redirects: one value, or each of a block's.</summary>
    public ReadOnlySpan<RespValue> CallerReplies(in RespValue reply)
    {
        if (ExpectedReplies == 1)
        {
            return new ReadOnlySpan<RespValue>(in reply);
        }

        var items = reply.Items;
        return HasAskingPrefix ? items[1..] : items;
    }

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
