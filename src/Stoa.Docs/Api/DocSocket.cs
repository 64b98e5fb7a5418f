using System.Net.WebSockets;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Stoa.Docs.Core;
using Stoa.Docs.Protocol;
using Stoa.Docs.Relay;
using Stoa.Foundation.Auth;
using Stoa.Foundation.Errors;
using Stoa.Foundation.Hosting;
using Stoa.Foundation.Realtime;

namespace Stoa.Docs.Api;

/// <summary>
/// One client's session on a document's WebSocket. The realtime layer's <see cref="WebSocketSession"/> runs the socket
/// (one writer, keep-alive pings, close codes, 1001 on drain); this class is the channel's listener, whose messages
/// queue in version order (acks travel in that same stream, so a client has every op before its own op's ack), and
/// reads the client's messages within limits: a message budget per socket, cursor moves coalesced, one op at a time
/// through the same submit use case as REST, and a malformed message answered with an error frame, never logged.
/// </summary>
internal sealed partial class DocSocket : IDocListener
{
    private const int MaxMessageBytes = 1024 * 1024;
    private static readonly TimeSpan s_keepAlive = TimeSpan.FromSeconds(20);

    private readonly DocChannel _channel;
    private readonly DocEditing _editing;
    private readonly DocOptions _options;
    private readonly ILogger _logger;
    private readonly RealtimeQueue _outbound;
    private readonly MessageBudget _budget;
    private readonly CursorCoalescer _cursor;
    private readonly string _topic;
    private Task<long> _joined = Task.FromResult(0L);

    public DocSocket(DocChannel channel, DocEditing editing, Caller caller, string clientId, DocOptions options, TimeProvider time, ILogger logger)
    {
        _channel = channel;
        _editing = editing;
        _options = options;
        _logger = logger;
        Caller = caller;
        ClientId = clientId;
        // Named so that the socket's deliveries read "deliver docs" in a trace.
        _topic = CommitFeed.Topic(caller.AppId, channel.DocId);
        _outbound = new RealtimeQueue(options.SocketQueueLength, OverflowRule.Close, options.SocketQueueBytes);
        _budget = new MessageBudget(options.SocketMessageBurst, options.SocketMessagesPerSecond, time);
        _cursor = new CursorCoalescer(TimeSpan.FromSeconds(1 / options.CursorMovesPerSecond), position => channel.Presence.MoveCursorAsync(this, position), time);
    }

    public Caller Caller { get; }

    public string ClientId { get; }

    public long After { get; set; }

    public bool TryEnqueue(ReadOnlyMemory<byte> message, string? traceParent = null) =>
        _outbound.TryEnqueue(new RealtimeMessage(_topic, null, "doc", message, "", traceParent));

    public Task WaitForRoomAsync(CancellationToken cancellationToken) =>
        _outbound.WaitUntilBelowAsync(_options.SocketQueueLength / 2, _options.SocketQueueBytes / 2, cancellationToken);

    public void Revoke(ApiException reason)
    {
        Send(new ErrorMessage(reason.Code, reason.Message));
        _outbound.End(new StreamEnd(WebSocketCloseStatus.PolicyViolation, reason.Code));
    }

    /// <param name="snapshot">Reads the document's text for a socket opened without <paramref name="from"/>.</param>
    public async Task RunAsync(HttpContext context, long? from, Func<CancellationToken, Task<DocSnapshot>> snapshot, DrainState drain)
    {
        // The join runs beside the session: a long catch-up is sent at the client's pace, which needs the writer running.
        _joined = JoinAsync(from, snapshot, context.RequestAborted);
        try
        {
            await WebSocketSession.RunAsync(context, _outbound, new WebSocketSessionOptions(s_keepAlive, MaxMessageBytes), drain,
                HandleAsync, () => Send(new ErrorMessage(DocErrors.OpTooLarge, $"Messages are limited to {MaxMessageBytes} bytes.")));
        }
        finally
        {
            await _cursor.DisposeAsync();
            await _channel.LeaveAsync(this);
            try
            {
                await _joined;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Reported to the client when it happened.
            }
        }
    }

    /// <summary>Joins the channel; returns the version the stream starts after (ops at or before it never come through it).</summary>
    private async Task<long> JoinAsync(long? from, Func<CancellationToken, Task<DocSnapshot>> snapshot, CancellationToken aborted)
    {
        try
        {
            return await _channel.JoinAsync(this, from, snapshot, aborted);
        }
        catch (ApiException e)
        {
            Revoke(e);
            throw;
        }
        catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
        {
            LogJoinFailure(_logger, e);
            _outbound.End(StreamEnd.TryAgainLater);
            throw;
        }
    }

    private async ValueTask HandleAsync(ReadOnlyMemory<byte> frame, CancellationToken aborted)
    {
        DocMessage? message;
        try
        {
            message = DocMessages.ReadFromClient(frame);
        }
        catch (DocProtocolException e)
        {
            message = null;
            if (_budget.TryTake())
            {
                Send(ProtocolError(e));
            }
        }

        if (message is null)
        {
            return;
        }

        if (!_budget.TryTake())
        {
            var retryAfterMs = (int)Math.Ceiling(_budget.RetryAfter.TotalMilliseconds);
            if (message is SubmitMessage dropped)
            {
                // Every op is answered: a client waits for its op's ack, and with the seq it resends the op later.
                Send(new ErrorMessage(DocErrors.RateLimited, "Too many messages on this socket; resend the op later.", dropped.Seq, retryAfterMs));
            }
            else if (_budget.ShouldWarn())
            {
                Send(new ErrorMessage(DocErrors.RateLimited, "Too many messages on this socket; some were dropped.", RetryAfterMs: retryAfterMs));
            }

            return;
        }

        switch (message)
        {
            case SubmitMessage submit:
                await SubmitAsync(submit, aborted);
                break;
            case CursorMessage cursor:
                _cursor.Move(cursor.Position);
                break;
        }
    }

    private async Task SubmitAsync(SubmitMessage submit, CancellationToken aborted)
    {
        try
        {
            if (!string.Equals(submit.ClientId, ClientId, StringComparison.Ordinal))
            {
                throw Validation.Failed("clientId", "must be the clientId the socket was opened with");
            }

            var joinedAt = await _joined;
            var result = await _editing.SubmitAsync(Caller, _channel.DocId, new OpSubmission(submit.BaseVersion, submit.Op, submit.ClientId, submit.Seq), aborted);
            if (result.Duplicate && result.Version <= joinedAt)
            {
                // Committed before this socket joined, so its stream will not carry the ack: send it here.
                Send(new AckMessage(submit.Seq, result.Version));
            }
        }
        catch (ApiException e)
        {
            int? retry = e.RetryAfterSeconds is { } seconds ? seconds * 1000 : null;
            Send(new ErrorMessage(e.Code, e.Message, submit.Seq, retry));
        }
        catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
        {
            LogSubmitFailure(_logger, e);
            Send(new ErrorMessage(FoundationErrors.InternalError, "The op could not be processed; resend it.", submit.Seq));
        }
    }

    private static ErrorMessage ProtocolError(DocProtocolException e) => e.Field switch
    {
        "message" => new ErrorMessage(FoundationErrors.InvalidJson, e.Message),
        "op" => new ErrorMessage(DocErrors.OpInvalid, e.Message),
        _ => new ErrorMessage(FoundationErrors.ValidationFailed, $"{e.Field}: {e.Message}"),
    };

    private void Send(DocMessage message) => TryEnqueue(DocMessages.Write(message));

    [LoggerMessage(Level = LogLevel.Error, Message = "A WebSocket op failed unexpectedly")]
    private static partial void LogSubmitFailure(ILogger logger, Exception e);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A WebSocket could not join its document")]
    private static partial void LogJoinFailure(ILogger logger, Exception e);
}
