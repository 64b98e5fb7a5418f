using System.Buffers;
using System.Diagnostics;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Http;
using Stoa.Foundation.Engine;
using Stoa.Foundation.Hosting;

namespace Stoa.Foundation.Realtime;

/// <summary>How one module's WebSockets behave.</summary>
/// <param name="KeepAlive">Interval of protocol pings, which notice dead peers behind idle proxies.</param>
/// <param name="MaxMessageBytes">The largest message a client may send; a larger one closes the socket (1009).</param>
public sealed record WebSocketSessionOptions(TimeSpan KeepAlive, int MaxMessageBytes = 64 * 1024);

/// <summary>
/// The one WebSocket lifecycle, for every module: accept with keep-alive pings; a single writer that sends what the
/// outbox gives, in order; a reader that hands each client message (at most <see cref="WebSocketSessionOptions.MaxMessageBytes"/>)
/// to the module; and one way to end, with a close frame that says why:
/// <list type="bullet">
/// <item>1000 when the client closes;</item>
/// <item>1001 when the node starts draining (reconnect through the balancer to another node);</item>
/// <item>1008 when the client reads too slowly for its outbox (reconnect and catch up);</item>
/// <item>1009 when a client message is too big;</item>
/// <item>1013 when the engine became unreachable (retry shortly).</item>
/// </list>
/// A client that does not complete the close handshake within 5 s is cut off.
/// </summary>
public sealed class WebSocketSession
{
    private static readonly TimeSpan s_closeTimeout = TimeSpan.FromSeconds(5);

    private readonly WebSocket _socket;
    private readonly IOutbox _outbox;
    private readonly CancellationTokenSource _stop = new();
    private StreamEnd _end = StreamEnd.Normal;
    private Timer? _abortTimer;

    private WebSocketSession(WebSocket socket, IOutbox outbox)
    {
        _socket = socket;
        _outbox = outbox;
    }

    /// <summary>
    /// Accepts the upgrade and runs the session until it ends. <paramref name="onMessage"/> is called for each client
    /// message, one at a time, in order; <paramref name="onTooBig"/> (if given) runs before a too-big message closes the
    /// socket, so the module can queue a last error for the client.
    /// </summary>
    public static async Task RunAsync(HttpContext context, IOutbox outbox, WebSocketSessionOptions options, DrainState drain,
        Func<ReadOnlyMemory<byte>, CancellationToken, ValueTask>? onMessage = null, Action? onTooBig = null)
    {
        using var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext { KeepAliveInterval = options.KeepAlive });
        var session = new WebSocketSession(socket, outbox);
        await session.RunAsync(options, drain.Draining, context.RequestAborted, onMessage, onTooBig);
    }

    /// <summary>Ends the session with <paramref name="end"/> (the first reason given wins).</summary>
    private void Stop(StreamEnd end)
    {
        lock (_stop)
        {
            if (_stop.IsCancellationRequested)
            {
                return;
            }

            _end = end;
            _stop.Cancel();
            _abortTimer = new Timer(static state => ((WebSocket)state!).Abort(), _socket, s_closeTimeout, Timeout.InfiniteTimeSpan);
        }
    }

    private async Task RunAsync(WebSocketSessionOptions options, CancellationToken draining, CancellationToken aborted,
        Func<ReadOnlyMemory<byte>, CancellationToken, ValueTask>? onMessage, Action? onTooBig)
    {
        using var onDrain = draining.Register(() => Stop(StreamEnd.ShuttingDown));
        var writer = Task.Run(() => WriteLoopAsync(aborted), CancellationToken.None);
        try
        {
            await ReadLoopAsync(options.MaxMessageBytes, aborted, onMessage, onTooBig);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // The client went away without a close handshake.
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A module's handler failed unexpectedly: end this socket, not the process.
            Stop(new StreamEnd(WebSocketCloseStatus.InternalServerError, "internal error"));
        }
        finally
        {
            Stop(StreamEnd.Normal);
            await writer;
            if (_abortTimer is not null)
            {
                await _abortTimer.DisposeAsync();
            }

            if (_socket.State is not WebSocketState.Closed)
            {
                _socket.Abort();
            }
        }
    }

    private async Task WriteLoopAsync(CancellationToken aborted)
    {
        // The span of the request that opened the socket: each delivery links to it.
        var stream = Activity.Current?.Context ?? default;
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var batch = await _outbox.TakeAsync(Timeout.InfiniteTimeSpan, _stop.Token);
                using var delivery = RealtimeTelemetry.StartDeliver(batch.Messages, stream);
                foreach (var message in batch.Messages)
                {
                    if (_stop.IsCancellationRequested)
                    {
                        break;
                    }

                    await _socket.SendAsync(message.Data, WebSocketMessageType.Text, endOfMessage: true, aborted);
                }

                if (batch.End is { } end)
                {
                    Stop(end);
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested && !aborted.IsCancellationRequested)
        {
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            _socket.Abort();
            return;
        }
        catch (Exception e) when (EngineFailure.IsUnreachable(e))
        {
            Stop(StreamEnd.TryAgainLater);
        }

        // Stopping: say why with a close frame, which the client answers, ending the read loop.
        try
        {
            if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                using var timeout = new CancellationTokenSource(s_closeTimeout);
                await _socket.CloseOutputAsync(_end.Status, _end.Reason, timeout.Token);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            _socket.Abort();
        }
    }

    private async Task ReadLoopAsync(int maxMessageBytes, CancellationToken aborted,
        Func<ReadOnlyMemory<byte>, CancellationToken, ValueTask>? onMessage, Action? onTooBig)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Min(16 * 1024, maxMessageBytes));
        try
        {
            while (true)
            {
                var length = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    if (length == buffer.Length)
                    {
                        if (buffer.Length >= maxMessageBytes)
                        {
                            onTooBig?.Invoke();
                            Stop(StreamEnd.TooBig);
                            return;
                        }

                        var bigger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, maxMessageBytes));
                        buffer.AsSpan(0, length).CopyTo(bigger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = bigger;
                    }

                    result = await _socket.ReceiveAsync(buffer.AsMemory(length), aborted);
                    length += result.Count;
                }
                while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    Stop(StreamEnd.Normal);
                    return;
                }

                if (onMessage is not null && !_stop.IsCancellationRequested)
                {
                    await onMessage(buffer.AsMemory(0, length), aborted);
                }

                if (_stop.IsCancellationRequested && _socket.State is not WebSocketState.Open)
                {
                    return;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
