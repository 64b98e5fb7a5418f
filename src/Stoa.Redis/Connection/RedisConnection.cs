using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO.Pipelines;
using Stoa.Redis.Protocol;
using Stoa.Redis.Telemetry;

namespace Stoa.Redis.Connection;

/// <summary>
/// The multiplexer: many callers, one socket. Callers serialise their command into an operation and enqueue it; a
/// single writer loop drains the queue into the pipe and flushes once per batch (implicit pipelining); a single reader
/// loop hands each reply to the oldest unanswered operation and each RESP3 push frame to <see cref="PushReceived"/>.
/// A supervisor reconnects with jittered exponential backoff; operations queued meanwhile wait until their deadline.
/// </summary>
internal sealed class RedisConnection : IRedisTransport
{
    private readonly RedisOptions _options;
    private readonly IReadOnlyList<string[]> _handshake;
    private readonly ConcurrentQueue<RedisOperation> _unsent = new();
    private readonly WriterSignal _writeSignal = new();
    private readonly CancellationTokenSource _disposed = new();
    private readonly string _name;
    private int _writerIdle;
    private long _connectionIds;
    private volatile PhysicalConnection? _current;
    private volatile Exception? _lastError;
    private Task? _supervisor;
    private Task? _timer;
    private RedisOperation? _heartbeat;
    private volatile bool _retired;

    public RedisConnection(RedisOptions options, IReadOnlyList<string[]>? handshake = null, string name = "data")
    {
        _options = options.Clone();
        _handshake = handshake ?? [];
        _name = name;
    }

    public RedisOptions Options => _options;

    /// <summary>Called on the reader loop for every RESP3 push frame, in wire order relative to replies. Must be quick
    /// and must not block or wait for Redis (it would stall every reply behind it).</summary>
    public Action<RespValue>? PushReceived { get; set; }

    /// <summary>Called when a connection is lost, after its reader stopped and before its unanswered operations fail
    /// and before any reconnect attempt.</summary>
    public Action<Exception?>? Disconnected { get; set; }

    /// <summary>Called after each successful reconnect (not after <see cref="ConnectAsync"/>'s first connect), once
    /// the new connection accepts commands.</summary>
    public Action? Reconnected { get; set; }

    public bool IsConnected => _current is not null;

    /// <summary>Id of the current physical connection (increases on reconnect); 0 while disconnected.</summary>
    public long ConnectionId => _current?.Id ?? 0;

    public async Task ConnectAsync(CancellationToken cancellationToken)
    {
        var first = await PhysicalConnection.ConnectAsync(_options, _handshake, Interlocked.Increment(ref _connectionIds), cancellationToken);
        _current = first;
        _supervisor = BackgroundLoop.Start(() => SuperviseAsync(first));
        _timer = BackgroundLoop.Start(TimerLoopAsync);
    }

    /// <summary>Starts without waiting for a first connection: the supervisor connects (and retries with backoff) in
    /// the background while operations queue until their deadline, and <see cref="Reconnected"/> is raised when that
    /// first connection is up, as after any later one. For a cluster node found in the map, whose callers should wait
    /// for it rather than fail at once.</summary>
    public void Start()
    {
        _supervisor = BackgroundLoop.Start(() => SuperviseAsync(null));
        _timer = BackgroundLoop.Start(TimerLoopAsync);
    }

    /// <summary>Queues an operation; the returned task completes with its reply (or replies, as an array).</summary>
    public ValueTask<RespValue> SendAsync(RedisOperation operation, CancellationToken cancellationToken, TimeSpan? timeout = null)
    {
        if (_disposed.IsCancellationRequested)
        {
            var refused = Refusal();
            Discard(operation);
            return ValueTask.FromException<RespValue>(refused);
        }

        var task = operation.AsValueTask();
        operation.Start(timeout ?? _options.CommandTimeout, cancellationToken);
        _unsent.Enqueue(operation);
        if (Interlocked.Exchange(ref _writerIdle, 0) == 1)
        {
            _writeSignal.Set();
        }

        if (_disposed.IsCancellationRequested)
        {
            FailUnsent();
        }

        return task;
    }

    private async Task SuperviseAsync(PhysicalConnection? first)
    {
        var random = new Random();
        var connection = first;
        while (true)
        {
            if (connection is not null)
            {
                Exception? error;
                try
                {
                    error = await RunAsync(connection);
                }
                catch (Exception ex)
                {
                    // Never let the supervisor die: without it the client would stay disconnected for good.
                    error = ex;
                }

                _lastError = error;
            }

            if (_disposed.IsCancellationRequested)
            {
                return;
            }

            int attempt = 0;
            while (true)
            {
                PurgeExpiredUnsent();
                if (attempt > 0)
                {
                    double min = _options.ReconnectMinDelay.TotalMilliseconds;
                    double cap = Math.Min(_options.ReconnectMaxDelay.TotalMilliseconds, min * Math.Pow(2, Math.Min(attempt, 20)));

                    // Jitter between half and the whole delay so that many clients losing one server do not return
                    // in lockstep.
                    var delay = TimeSpan.FromMilliseconds(cap * (0.5 + (random.NextDouble() / 2)));
                    try
                    {
                        await Task.Delay(delay, _disposed.Token);
                    }
                    catch (OperationCanceledException)
                    {
                        return;
                    }
                }

                attempt++;
                try
                {
                    connection = await PhysicalConnection.ConnectAsync(_options, _handshake, Interlocked.Increment(ref _connectionIds), _disposed.Token);
                    break;
                }
                catch (OperationCanceledException) when (_disposed.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception ex)
                {
                    _lastError = ex;
                }
            }

            _current = connection;
            _lastError = null;
            try
            {
                Reconnected?.Invoke();
            }
            catch (Exception)
            {
                // A subscriber's handler must not stop the connection from working.
            }
        }
    }

    /// <summary>While disconnected, callers whose deadline passed have already been failed by the timer, but their
    /// operations still sit in the queue with their buffers. Only the supervisor calls this, between connections,
    /// when no writer loop can be dequeuing: a long outage under load then holds at most one backoff's worth.</summary>
    private void PurgeExpiredUnsent()
    {
        while (_unsent.TryPeek(out var head) && head.IsCompleted && _unsent.TryDequeue(out var expired))
        {
            expired.ReleaseBuffer();
        }
    }

    /// <summary>Runs the reader and writer loops of one connection until either fails; then tears it down and fails
    /// its unanswered operations. Returns what ended it.</summary>
    private async Task<Exception?> RunAsync(PhysicalConnection connection)
    {
        _current = connection;

        // Disposal may race with the start of this connection; the registration makes sure it still ends it.
        using var disposal = _disposed.Token.Register(static state => ((PhysicalConnection)state!).Abort(), connection);
        var reader = Task.Run(() => ReadLoopAsync(connection));
        var writer = Task.Run(() => WriteLoopAsync(connection));
        var first = await Task.WhenAny(reader, writer);
        connection.Abort();
        _writeSignal.Set();
        try
        {
            await Task.WhenAll(reader, writer);
        }
        catch (Exception)
        {
            // Observed below through the tasks.
        }

        _current = null;
        var error = first.Exception?.GetBaseException() ?? (reader.IsFaulted ? reader.Exception.GetBaseException() : writer.Exception?.GetBaseException());

        // Each step is isolated: the tracking flush signal (Disconnected) and failing the unanswered callers must happen
        // whatever went wrong before them.
        try
        {
            await connection.DisposeAsync();
        }
        catch (Exception)
        {
        }

        try
        {
            Disconnected?.Invoke(error);
        }
        catch (Exception)
        {
        }

        var failure = _disposed.IsCancellationRequested && !_retired
            ? (Exception)new ObjectDisposedException(nameof(RedisClient))
            : new RedisConnectionException($"The {_name} connection to {_options} was lost before the reply arrived; the command may or may not have run.", error);
        while (connection.Pending.TryDequeue(out var operation))
        {
            operation.TrySetException(failure);
        }

        return error;
    }

    private async Task ReadLoopAsync(PhysicalConnection connection)
    {
        var reader = connection.Reader;
        var token = connection.Closed;
        while (true)
        {
            ReadResult result;
            try
            {
                result = await reader.ReadAsync(token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            var buffer = result.Buffer;
            var consumed = ProcessFrames(connection, buffer);
            reader.AdvanceTo(consumed, buffer.End);
            if (result.IsCompleted)
            {
                throw new RedisConnectionException($"The server closed the {_name} connection.");
            }
        }
    }

    private SequencePosition ProcessFrames(PhysicalConnection connection, ReadOnlySequence<byte> buffer)
    {
        var reader = new SequenceReader<byte>(buffer);
        bool any = false;
        while (RespReader.TryRead(ref reader, _options.Limits, out var value))
        {
            any = true;
            if (value.Type == RespType.Push)
            {
                try
                {
                    PushReceived?.Invoke(value);
                }
                catch (Exception)
                {
                    // Push handlers are ours and quick; a bug there must not kill the reply stream.
                }

                continue;
            }

            if (!connection.Pending.TryPeek(out var operation))
            {
                throw new RedisProtocolException($"The server sent a reply nobody asked for: {value}.");
            }

            if (operation.AddReply(value))
            {
                connection.Pending.TryDequeue(out _);
            }
        }

        if (any)
        {
            connection.LastReceived = Environment.TickCount64;
        }

        return reader.Position;
    }

    private async Task WriteLoopAsync(PhysicalConnection connection)
    {
        var writer = connection.Writer;
        var token = connection.Closed;
        List<RedisOperation>? writtenWithoutReply = null;
        Activity? flush = null;
        try
        {
            while (true)
            {
                bool wrote = false;
                int commands = 0, flushLinks = 0;
                long bytes = 0;
                while (_unsent.TryDequeue(out var operation))
                {
                    if (operation.IsCompleted)
                    {
                        // Cancelled or timed out before it was written: never send it, so it gets no reply to match.
                        operation.ReleaseBuffer();
                        continue;
                    }

                    if (_retired)
                    {
                        // Being retired: unwritten operations go back to the cluster router, which sends them to the
                        // slot's new owner. The queue is drained again after the loops stop.
                        operation.TrySetException(new NodeRetiredException());
                        continue;
                    }

                    if (operation.ExpectedReplies > 0)
                    {
                        connection.Pending.Enqueue(operation);
                    }
                    else
                    {
                        (writtenWithoutReply ??= []).Add(operation);
                    }

                    if (operation.Span is { } span)
                    {
                        flush = RedisTelemetry.JoinFlush(flush, span, ref flushLinks);
                    }

                    commands++;
                    bytes += operation.Payload.Length;
                    writer.Write(operation.Payload);
                    if (!operation.KeepsPayload)
                    {
                        operation.ReleaseBuffer();
                    }

                    wrote = true;
                    if (writer.UnflushedBytes > 256 * 1024)
                    {
                        await writer.FlushAsync(token);
                    }
                }

                if (wrote)
                {
                    var flushed = await writer.FlushAsync(token);
                    if (flush is not null)
                    {
                        RedisTelemetry.EndFlush(flush, commands, bytes);
                        flush = null;
                    }

                    if (writtenWithoutReply is { Count: > 0 })
                    {
                        foreach (var operation in writtenWithoutReply)
                        {
                            operation.TrySetResult(RespValue.Null);
                        }

                        writtenWithoutReply.Clear();
                    }

                    if (flushed.IsCompleted)
                    {
                        throw new RedisConnectionException($"The {_name} connection's writer was closed.");
                    }
                }

                Volatile.Write(ref _writerIdle, 1);
                if (!_unsent.IsEmpty && Interlocked.Exchange(ref _writerIdle, 0) == 1)
                {
                    continue;
                }

                await _writeSignal.WaitAsync();
                token.ThrowIfCancellationRequested();
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
        finally
        {
            flush?.SetStatus(ActivityStatusCode.Error, "the connection was lost while writing");
            flush?.Dispose();
            if (writtenWithoutReply is { Count: > 0 })
            {
                foreach (var operation in writtenWithoutReply)
                {
                    operation.TrySetException(new RedisConnectionException($"The {_name} connection was lost while writing."));
                }
            }
        }
    }

    /// <summary>Enforces deadlines (one timer for all operations instead of one per call) and the keep-alive.</summary>
    private async Task TimerLoopAsync()
    {
        long periodMs = Math.Clamp((long)(_options.CommandTimeout.TotalMilliseconds / 10), 10, 100);
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(periodMs));
        try
        {
            while (await timer.WaitForNextTickAsync(_disposed.Token))
            {
                long now = Environment.TickCount64;
                var current = _current;
                foreach (var operation in _unsent)
                {
                    if (now >= operation.Deadline && !operation.IsCompleted)
                    {
                        operation.TrySetException(current is null
                            ? new RedisConnectionException($"Not connected to {_options} (the {_name} connection is reconnecting) and the command's deadline passed.", _lastError)
                            : new RedisTimeoutException($"The command was not sent to {_options} within its timeout."));
                    }
                }

                if (current is null)
                {
                    continue;
                }

                foreach (var operation in current.Pending)
                {
                    if (now >= operation.Deadline && !operation.IsCompleted)
                    {
                        operation.TrySetException(new RedisTimeoutException($"No reply from {_options} within the command timeout."));
                    }
                }

                KeepAlive(current, now);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void KeepAlive(PhysicalConnection current, long now)
    {
        long interval = (long)_options.KeepAlive.TotalMilliseconds;
        var heartbeat = _heartbeat;
        if (heartbeat is not null)
        {
            if (heartbeat.IsCompleted)
            {
                _heartbeat = null;
            }
            else if (now - Volatile.Read(ref current.LastReceived) > 2 * interval)
            {
                // Nothing at all for two intervals although a PING is outstanding: a half-open connection. Closing it
                // signals a flush to tracking caches, which could otherwise miss invalidations forever.
                current.Abort();
            }

            return;
        }

        if (now - Volatile.Read(ref current.LastReceived) > interval)
        {
            var ping = new RedisOperation();
            ping.Command(1).Arg("PING"u8);
            _heartbeat = ping;
            _ = SendAsync(ping, CancellationToken.None, Timeout.InfiniteTimeSpan).AsTask().ContinueWith(
                static t => _ = t.Exception, TaskScheduler.Default);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed.IsCancellationRequested)
        {
            return;
        }

        _disposed.Cancel();
        _current?.Abort();
        if (_supervisor is not null)
        {
            await _supervisor;
        }

        if (_timer is not null)
        {
            await _timer;
        }

        FailUnsent();
    }

    /// <summary>
    /// Closes a cluster node's connection that no longer owns slots: operations never written fail with
    /// <see cref="NodeRetiredException"/> (the router sends them elsewhere, nothing of them ran); those written and
    /// unanswered fail with <see cref="RedisConnectionException"/>, as on any connection loss. Disconnected runs if
    /// the connection was up, so a tracking cache drops what this node could have invalidated.
    /// </summary>
    public ValueTask RetireAsync()
    {
        _retired = true;
        return DisposeAsync();
    }

    private Exception Refusal() => _retired ? new NodeRetiredException() : new ObjectDisposedException(nameof(RedisClient));

    /// <summary>Releases the payload of an operation that will never be written, unless the router keeps it to send
    /// it elsewhere (only when the connection was retired).</summary>
    private void Discard(RedisOperation operation)
    {
        if (!(_retired && operation.KeepsPayload))
        {
            operation.ReleaseBuffer();
        }
    }

    private void FailUnsent()
    {
        while (_unsent.TryDequeue(out var operation))
        {
            operation.TrySetException(Refusal());
            Discard(operation);
        }
    }
}
