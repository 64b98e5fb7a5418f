using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Stoa.Docs.Core;
using Stoa.Docs.Relay;
using Stoa.Foundation.Auth;
using Stoa.Foundation.Errors;
using Stoa.Foundation.Hosting;
using Stoa.Foundation.Json;
using Stoa.Foundation.Realtime;
using Stoa.Ot;

namespace Stoa.Docs.Api;

/// <summary>
/// One client's session on a document's WebSocket: the realtime layer's <see cref="WebSocketSession"/> runs the socket
/// (one writer, keep-alive pings, close codes, 1001 on drain); this class submits the client's ops (one at a time, as
/// the client state machine sends them), relays its cursor, and is the channel's listener, whose messages queue in
/// version order. Acks travel in that same ordered stream, so a client always has every op before its own op's ack.
/// A client that cannot keep up with its queue is closed (1008) and catches up from its version when it reconnects.
/// </summary>
internal sealed partial class DocSocket : IDocListener
{
    private const int MaxMessageBytes = 1024 * 1024;
    private static readonly TimeSpan s_keepAlive = TimeSpan.FromSeconds(20);

    private readonly DocChannel _channel;
    private readonly DocService _docs;
    private readonly Caller _caller;
    private readonly ILogger _logger;
    private readonly RealtimeQueue _outbound;
    private long _joinedAt;

    public DocSocket(DocChannel channel, DocService docs, Caller caller, string clientId, int queueLength, ILogger logger)
    {
        _channel = channel;
        _docs = docs;
        _caller = caller;
        _logger = logger;
        ClientId = clientId;
        _outbound = new RealtimeQueue(queueLength, OverflowRule.Close);
    }

    public string ClientId { get; }

    public long After { get; set; }

    public bool TryEnqueue(ReadOnlyMemory<byte> message) =>
        _outbound.TryEnqueue(new RealtimeMessage(DocService.Channel(_caller.AppId, _channel.DocId), null, "doc", message, ""));

    public async Task RunAsync(HttpContext context, long? from, DrainState drain)
    {
        await _channel.JoinAsync(this, from, _caller.UserId, context.RequestAborted);
        // Ops after this version reach the client through the stream (its own as acks); older ones never will.
        _joinedAt = from ?? After;
        try
        {
            await WebSocketSession.RunAsync(context, _outbound, new WebSocketSessionOptions(s_keepAlive, MaxMessageBytes), drain,
                HandleAsync, () => TryEnqueue(DocWire.Error(DocErrors.OpTooLarge, $"Messages are limited to {MaxMessageBytes} bytes.")));
        }
        finally
        {
            await _channel.LeaveAsync(this);
        }
    }

    private async ValueTask HandleAsync(ReadOnlyMemory<byte> message, CancellationToken aborted)
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
