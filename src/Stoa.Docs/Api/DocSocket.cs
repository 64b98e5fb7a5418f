using System.Buffers;
using System.Net.WebSockets;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Stoa.Docs.Core;
using Stoa.Docs.Relay;
using Stoa.Foundation.Auth;
using Stoa.Foundation.Errors;
using Stoa.Foundation.Json;
using Stoa.Ot;

namespace Stoa.Docs.Api;

/// <summary>
/// One client's WebSocket: a read loop that submits its ops (one at a time, as the client state machine sends them)
/// and relays its cursor, and a write loop that is the only sender, draining the queue the channel fills in version
/// order. Acks travel in that same ordered stream, so a client always has every op before its own op's ack.
/// </summary>
internal sealed partial class DocSocket : IDocListener
{
    private const int MaxMessageBytes = 1024 * 1024;
    private static readonly TimeSpan s_closeTimeout = TimeSpan.FromSeconds(5);

    private readonly WebSocket _socket;
    private readonly DocChannel _channel;
    private readonly DocService _docs;
    private readonly Caller _caller;
    private readonly ILogger _logger;
    private readonly Channel<ReadOnlyMemory<byte>> _outbound;
    private readonly CancellationTokenSource _stop = new();
    private Timer? _abortTimer;
    private WebSocketCloseStatus _closeStatus = WebSocketCloseStatus.NormalClosure;
    private string _closeReason = "bye";
    private long _joinedAt;

    public DocSocket(WebSocket socket, DocChannel channel, DocService docs, Caller caller, string clientId, int queueLength, ILogger logger)
    {
        _socket = socket;
        _channel = channel;
        _docs = docs;
        _caller = caller;
        _logger = logger;
        ClientId = clientId;
        _outbound = Channel.CreateBounded<ReadOnlyMemory<byte>>(new BoundedChannelOptions(queueLength) { SingleReader = true });
    }

    public string ClientId { get; }

    public long After { get; set; }

    public bool TryEnqueue(ReadOnlyMemory<byte> message)
    {
        if (_outbound.Writer.TryWrite(message))
        {
            return true;
        }

        Stop(WebSocketCloseStatus.PolicyViolation, "too slow: reconnect and catch up");
        return false;
    }

    public async Task RunAsync(long? from, CancellationToken draining, CancellationToken aborted)
    {
        using var onDrain = draining.Register(() => Stop(WebSocketCloseStatus.EndpointUnavailable, "server shutting down"));
        await _channel.JoinAsync(this, from, _caller.UserId, aborted);
        // Ops after this version reach the client through the stream (its own as acks); older ones never will.
        _joinedAt = from ?? After;
        var writer = Task.Run(() => WriteLoopAsync(aborted), CancellationToken.None);
        try
        {
            await ReadLoopAsync(aborted);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // The client went away without a close handshake.
        }
        finally
        {
            await _channel.LeaveAsync(this);
            Stop(_closeStatus, _closeReason);
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

    private void Stop(WebSocketCloseStatus status, string reason)
    {
        if (!_stop.IsCancellationRequested)
        {
            _closeStatus = status;
            _closeReason = reason;
            _stop.Cancel();

            // A client that does not complete the close handshake in time (or stopped reading) is cut off.
            _abortTimer = new Timer(static state => ((WebSocket)state!).Abort(), _socket, s_closeTimeout, Timeout.InfiniteTimeSpan);
        }
    }

    private async Task WriteLoopAsync(CancellationToken aborted)
    {
        try
        {
            while (await _outbound.Reader.WaitToReadAsync(_stop.Token))
            {
                while (!_stop.IsCancellationRequested && _outbound.Reader.TryRead(out var message))
                {
                    await _socket.SendAsync(message, WebSocketMessageType.Text, endOfMessage: true, aborted);
                }

                _stop.Token.ThrowIfCancellationRequested();
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested && !aborted.IsCancellationRequested)
        {
            // Stopping: say so with a close frame, which the client answers, ending the read loop.
            try
            {
                if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                {
                    using var timeout = new CancellationTokenSource(s_closeTimeout);
                    await _socket.CloseOutputAsync(_closeStatus, _closeReason, timeout.Token);
                }
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException)
            {
                _socket.Abort();
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            _socket.Abort();
        }
    }

    private async Task ReadLoopAsync(CancellationToken aborted)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
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
                        if (buffer.Length >= MaxMessageBytes)
                        {
                            TryEnqueue(DocWire.Error(DocErrors.OpTooLarge, $"Messages are limited to {MaxMessageBytes} bytes."));
                            Stop(WebSocketCloseStatus.MessageTooBig, "message too big");
                            return;
                        }

                        var bigger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
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
                    Stop(WebSocketCloseStatus.NormalClosure, "bye");
                    return;
                }

                await HandleAsync(buffer.AsMemory(0, length), aborted);
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

    private async Task HandleAsync(ReadOnlyMemory<byte> message, CancellationToken aborted)
    {
        long? seq = null;
        try
        {
            using var document = ParseMessage(message);
            var root = document.RootElement;
            var type = root.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            switch (type)
            {
                case "op":
                    seq = root.TryGetProperty("seq", out var s) && s.TryGetInt64(out var sv) ? sv : null;
                    await SubmitAsync(root, seq, aborted);
                    break;
                case "cursor":
                    if (!root.TryGetProperty("position", out var p) || !p.TryGetInt32(out var position) || position < 0)
                    {
                        throw Validation.Failed("position", "must be a code point position (0 or more)");
                    }

                    await _channel.MoveCursorAsync(this, _caller.UserId, position);
                    break;
                case "ping":
                    break;
                default:
                    throw Validation.Failed("type", "must be \"op\" or \"cursor\"");
            }
        }
        catch (ApiException e)
        {
            int? retry = e.RetryAfterSeconds is { } seconds ? seconds * 1000 : null;
            TryEnqueue(DocWire.Error(e.Code, e.Message, seq, retry));
        }
        catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
        {
            LogSubmitFailure(_logger, e);
            TryEnqueue(DocWire.Error(FoundationErrors.InternalError, "The op could not be processed; resend it.", seq));
        }
    }

    private static JsonDocument ParseMessage(ReadOnlyMemory<byte> message)
    {
        try
        {
            return JsonText.Parse(message, new JsonDocumentOptions { MaxDepth = 32 });
        }
        catch (JsonException)
        {
            throw new ApiException(400, FoundationErrors.InvalidJson, "The message is not valid JSON.");
        }
    }

    private async Task SubmitAsync(JsonElement root, long? seq, CancellationToken aborted)
    {
        var baseVersion = root.TryGetProperty("baseVersion", out var b) && b.TryGetInt64(out var bv) ? bv : (long?)null;
        var clientId = root.TryGetProperty("clientId", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : ClientId;
        new Validation()
            .Require(baseVersion is >= 0, "baseVersion", "is required and must be 0 or more")
            .Require(seq is >= 0, "seq", "is required and must be 0 or more")
            .Require(root.TryGetProperty("op", out _), "op", "is required")
            .Require(string.Equals(clientId, ClientId, StringComparison.Ordinal), "clientId", "must be the clientId the socket was opened with")
            .ThrowIfInvalid();
        TextOp op;
        try
        {
            op = TextOp.Parse(root.GetProperty("op"));
        }
        catch (OtException e)
        {
            throw DocErrors.Invalid(e);
        }

        _docs.CheckSize(op);
        await _docs.CheckRateAsync(_caller.AppId, _caller.UserId, aborted);
        var result = await _docs.SubmitAsync(_caller.AppId, ChannelDocId, _caller.UserId, baseVersion!.Value, op, ClientId, seq!.Value, aborted);
        if (result.Duplicate && result.Version <= _joinedAt)
        {
            // Committed before this socket joined, so the stream will not carry it: acknowledge it here.
            TryEnqueue(DocWire.Ack(seq.Value, result.Version));
        }
    }

    private Guid ChannelDocId => _channel.DocId;

    [LoggerMessage(Level = LogLevel.Error, Message = "A WebSocket op failed unexpectedly")]
    private static partial void LogSubmitFailure(ILogger logger, Exception e);
}
