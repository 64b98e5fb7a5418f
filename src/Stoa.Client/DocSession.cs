using System.Buffers;
using System.Net.WebSockets;
using System.Threading.Channels;
using Stoa.Docs.Protocol;
using Stoa.Ot;

namespace Stoa.Client;

/// <summary>
/// A live session on one document over the docs WebSocket (docs/docs-protocol.md), with the classic OT client state
/// machine: local edits apply at once; one op at a time is in flight, later edits are composed into a buffer; remote
/// ops are transformed past both. The text is rebuilt from deltas only: one snapshot when the session opens, then ops.
/// After a lost connection it reconnects from its version, receives the ops it missed (its own in-flight op, if it was
/// committed, arrives as its ack) and resends the in-flight op with the same client id and seq, which the server
/// acknowledges without applying twice.
/// </summary>
/// <remarks>Thread-safe: edits may come from any thread; events are raised on the receive loop.</remarks>
public sealed class DocSession : IAsyncDisposable
{

    private readonly object _gate = new();
    private readonly Guid _docId;
    private readonly DocSessionOptions _options;
    private readonly CancellationTokenSource _disposed = new();
    private readonly TaskCompletionSource _opened = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _loop = Task.CompletedTask;
    private ClientWebSocket? _socket;
    private Channel<byte[]>? _send;
    private bool _hasSnapshot;
    private string _text = "";
    private long _version;
    private TextOp? _inflight;
    private long _inflightSeq;
    private TextOp? _buffer;
    private long _seq;
    private Exception? _fault;
    private TaskCompletionSource _synchronized = NewSignal();

    private DocSession(Guid docId, DocSessionOptions options)
    {
        _docId = docId;
        _options = options;
        ClientId = options.ClientId ?? "c" + Guid.NewGuid().ToString("N")[..16];
    }

    /// <summary>Raised for every remote op, after it was applied to <see cref="Text"/>.</summary>
    public event Action<DocChange>? RemoteChange;

    /// <summary>Raised when one of this session's ops is acknowledged: its seq and the version it was committed at.</summary>
    public event Action<long, long>? Acknowledged;

    public event Action<DocPresence>? PresenceChanged;

    public event Action<DocSessionError>? Error;

    public string ClientId { get; }

    public Guid DocId => _docId;

    /// <summary>The local text: the server's version plus the local edits not yet acknowledged.</summary>
    public string Text
    {
        get
        {
            lock (_gate)
            {
                return _text;
            }
        }
    }

    /// <summary>The last server version this session has applied.</summary>
    public long Version
    {
        get
        {
            lock (_gate)
            {
                return _version;
            }
        }
    }

    public DocSessionState State
    {
        get
        {
            lock (_gate)
            {
                return _inflight is null ? DocSessionState.Synchronized
                    : _buffer is null ? DocSessionState.AwaitingConfirm : DocSessionState.AwaitingWithBuffer;
            }
        }
    }

    public bool IsConnected
    {
        get
        {
            lock (_gate)
            {
                return _socket is { State: WebSocketState.Open };
            }
        }
    }

    /// <summary>Set when the session stopped following the document (see <see cref="DocSessionException"/>).</summary>
    public Exception? Fault
    {
        get
        {
            lock (_gate)
            {
                return _fault;
            }
        }
    }

    /// <summary>Opens a session and waits for the document's snapshot.</summary>
    public static async Task<DocSession> OpenAsync(Guid docId, DocSessionOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var session = new DocSession(docId, options);
        session._loop = Task.Run(session.RunAsync, CancellationToken.None);
        try
        {
            await session._opened.Task.WaitAsync(cancellationToken);
            return session;
        }
        catch
        {
            await session.DisposeAsync();
            throw;
        }
    }

    /// <summary>Applies a local edit (made on <see cref="Text"/>) and sends it when the state machine allows.</summary>
    public void Submit(TextOp op)
    {
        ArgumentNullException.ThrowIfNull(op);
        if (op.IsNoop)
        {
            return;
        }

        lock (_gate)
        {
            if (_fault is not null)
            {
                throw new InvalidOperationException("The session has failed.", _fault);
            }

            _text = TextOt.Apply(_text, op);
            if (_inflight is null)
            {
                if (_synchronized.Task.IsCompleted)
                {
                    _synchronized = NewSignal();
                }

                _inflight = op;
                _inflightSeq = ++_seq;
                SendInflight();
            }
            else
            {
                _buffer = _buffer is null ? op : TextOt.Compose(_buffer, op);
            }
        }
    }

    /// <summary>
    /// Makes an edit on the current text atomically: <paramref name="edit"/> sees <see cref="Text"/> as it is and
    /// returns the op to apply (or null for none), with no remote op slipping in between.
    /// </summary>
    public void Edit(Func<string, TextOp?> edit)
    {
        ArgumentNullException.ThrowIfNull(edit);
        lock (_gate)
        {
            if (edit(_text) is { } op)
            {
                Submit(op);
            }
        }
    }

    /// <summary>Replaces the text with <paramref name="newText"/> as one edit (what a text box change is).</summary>
    public void Replace(string newText)
    {
        lock (_gate)
        {
            Submit(TextOt.Diff(_text, newText));
        }
    }

    /// <summary>Tells the other clients where this client's cursor is (a code point position in <see cref="Text"/>).</summary>
    public void MoveCursor(int position)
    {
        lock (_gate)
        {
            Enqueue(DocMessages.Write(new CursorMessage(Math.Max(0, position))));
        }
    }

    /// <summary>Completes when every local edit is acknowledged.</summary>
    public Task WhenSynchronizedAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_fault is not null)
            {
                return Task.FromException(new InvalidOperationException("The session has failed.", _fault));
            }

            return _inflight is null ? Task.CompletedTask : _synchronized.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>
    /// Drops the connection as a network failure would; the session reconnects by itself. Internal: an app has no
    /// reason to break its own connection; the session uses it when the server refused an op for good, and the docs
    /// tests to cut sockets mid-edit.
    /// </summary>
    internal void DropConnection()
    {
        lock (_gate)
        {
            _socket?.Abort();
        }
    }

    private async Task RunAsync()
    {
        var delay = _options.ReconnectDelay;
        while (!_disposed.IsCancellationRequested)
        {
            var socket = new ClientWebSocket();
            socket.Options.CollectHttpResponseDetails = true;
            socket.Options.SetRequestHeader("X-Api-Key", _options.ApiKey);
            socket.Options.SetRequestHeader("Authorization", "Bearer " + _options.AccessToken());
            Task? writer = null;
            try
            {
                await socket.ConnectAsync(LiveUri(), _disposed.Token);
                delay = _options.ReconnectDelay;
                var send = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true });
                lock (_gate)
                {
                    _socket = socket;
                    _send = send;

                    // The in-flight op may or may not have been committed: resend it with its seq; the server dedupes.
                    if (_inflight is not null)
                    {
                        SendInflight();
                    }
                }

                writer = WriteLoopAsync(socket, send.Reader);
                await ReceiveLoopAsync(socket);
            }
            catch (WebSocketException) when (socket.HttpStatusCode is >= System.Net.HttpStatusCode.BadRequest and < System.Net.HttpStatusCode.InternalServerError
                and not System.Net.HttpStatusCode.TooManyRequests and not System.Net.HttpStatusCode.RequestTimeout)
            {
                Fail(new DocSessionException("http_" + (int)socket.HttpStatusCode, $"The server refused the session ({(int)socket.HttpStatusCode})."));
                return;
            }
            catch (DocSessionException e)
            {
                Fail(e);
                return;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Lost or refused connection (an abort disposes the socket, hence ObjectDisposedException too): reconnect below.
            }
            finally
            {
                lock (_gate)
                {
                    _socket = null;
                    _send?.Writer.TryComplete();
                    _send = null;
                }

                if (writer is not null)
                {
                    await writer;
                }

                socket.Dispose();
            }

            if (_disposed.IsCancellationRequested)
            {
                return;
            }

            try
            {
                await Task.Delay(delay * (0.5 + Random.Shared.NextDouble()), _disposed.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.MaxReconnectDelay.Ticks));
        }
    }

    private Uri LiveUri()
    {
        var server = _options.ServerAddress();
        var builder = new UriBuilder(server)
        {
            Scheme = server.Scheme == Uri.UriSchemeHttps ? "wss" : "ws",
            Path = server.AbsolutePath.TrimEnd('/') + $"/v1/docs/{_docId}/live",
        };
        lock (_gate)
        {
            builder.Query = $"clientId={Uri.EscapeDataString(ClientId)}" + (_hasSnapshot ? $"&from={_version}" : "");
        }

        return builder.Uri;
    }

    private static async Task WriteLoopAsync(ClientWebSocket socket, ChannelReader<byte[]> reader)
    {
        try
        {
            await foreach (var message in reader.ReadAllAsync())
            {
                await socket.SendAsync(message, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException
            or InvalidOperationException)
        {
            // The receive loop sees the same failure and reconnects. InvalidOperationException is ClientWebSocket's
            // "not connected", seen when a send races the connection's end (DisposeAsync closing, a server close).
            socket.Abort();
        }
    }

    private async Task ReceiveLoopAsync(ClientWebSocket socket)
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
                        var bigger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                        buffer.AsSpan(0, length).CopyTo(bigger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = bigger;
                    }

                    result = await socket.ReceiveAsync(buffer.AsMemory(length), _disposed.Token);
                    length += result.Count;
                }
                while (!result.EndOfMessage);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    if (socket.CloseStatus == WebSocketCloseStatus.PolicyViolation && socket.CloseStatusDescription is "doc_forbidden" or "doc_not_found" or "version_too_old")
                    {
                        // Access revoked, the document gone or this client's version compacted away: a reconnect cannot mend it.
                        throw new DocSessionException(socket.CloseStatusDescription, $"The server closed the session: {socket.CloseStatusDescription}.");
                    }

                    // Answer the server's close frame (a draining node), then reconnect elsewhere.
                    try
                    {
                        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", timeout.Token);
                    }
                    catch (Exception e) when (e is WebSocketException or OperationCanceledException)
                    {
                    }

                    return;
                }

                Handle(buffer.AsMemory(0, length));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void Handle(ReadOnlyMemory<byte> frame)
    {
        switch (DocMessages.ReadFromServer(frame))
        {
            case SnapshotMessage snapshot:
                lock (_gate)
                {
                    if (!_hasSnapshot)
                    {
                        _text = snapshot.Text;
                        _version = snapshot.Version;
                        _hasSnapshot = true;
                    }
                }

                _opened.TrySetResult();
                break;
            case OpMessage op:
                OnRemoteOp(op.Version, op.Op, op.ClientId);
                break;
            case AckMessage ack:
                OnAck(ack.Seq, ack.Version);
                break;
            case PresenceMessage presence:
                PresenceChanged?.Invoke(new DocPresence(presence.ClientId, presence.UserId, presence.Cursor, presence.Online));
                break;
            case ErrorMessage error:
                OnError(new DocSessionError(error.Code, error.Detail, error.Seq), error.RetryAfterMs);
                break;
        }
    }

    private void OnRemoteOp(long version, TextOp op, string clientId)
    {
        DocChange change;
        lock (_gate)
        {
            if (version <= _version)
            {
                return;
            }

            if (version != _version + 1)
            {
                // Never expected (the server sends in order); reconnecting from our version repairs it.
                _socket?.Abort();
                return;
            }

            if (_inflight is not null)
            {
                var remote = TextOt.Transform(op, _inflight, TransformSide.Right);
                _inflight = TextOt.Transform(_inflight, op, TransformSide.Left);
                op = remote;
                if (_buffer is not null)
                {
                    remote = TextOt.Transform(op, _buffer, TransformSide.Right);
                    _buffer = TextOt.Transform(_buffer, op, TransformSide.Left);
                    op = remote;
                }
            }

            _text = TextOt.Apply(_text, op);
            _version = version;
            change = new DocChange(version, op, clientId);
        }

        RemoteChange?.Invoke(change);
    }

    private void OnAck(long seq, long version)
    {
        lock (_gate)
        {
            if (_inflight is null || seq != _inflightSeq || version <= _version)
            {
                return;
            }

            _version = version;
            _inflight = null;
            if (_buffer is not null)
            {
                _inflight = _buffer;
                _inflightSeq = ++_seq;
                _buffer = null;
                SendInflight();
            }
            else
            {
                _synchronized.TrySetResult();
            }
        }

        Acknowledged?.Invoke(seq, version);
    }

    private void OnError(DocSessionError error, int? retryAfterMs)
    {
        Error?.Invoke(error);
        lock (_gate)
        {
            if (error.Seq is not { } seq || _inflight is null || seq != _inflightSeq)
            {
                return;
            }

            if (error.Code is "rate_limited" or "doc_busy" or "store_busy" or "internal_error")
            {
                // Transient: send the same op (same seq) again a little later.
                var wait = TimeSpan.FromMilliseconds(retryAfterMs ?? 200);
                _ = Task.Delay(wait, _disposed.Token).ContinueWith(_ =>
                {
                    lock (_gate)
                    {
                        if (_inflight is not null && _inflightSeq == seq)
                        {
                            SendInflight();
                        }
                    }
                }, CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
                return;
            }
        }

        // The server refused the op for good: the local text can no longer be reconciled from deltas.
        Fail(new DocSessionException(error.Code, error.Detail));
        DropConnection();
    }

    private void Fail(Exception fault)
    {
        lock (_gate)
        {
            _fault ??= fault;
            _synchronized.TrySetException(new InvalidOperationException("The session has failed.", _fault));
        }

        _opened.TrySetException(fault);
        _disposed.Cancel();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    // Call under the lock.
    private void SendInflight()
    {
        var (op, seq, version) = (_inflight!, _inflightSeq, _version);
        Enqueue(DocMessages.Write(new SubmitMessage(version, op, ClientId, seq)));
    }

    // Call under the lock. Messages sent while disconnected are dropped: the in-flight op is resent on reconnect.
    private void Enqueue(byte[] message) => _send?.Writer.TryWrite(message);

    public async ValueTask DisposeAsync()
    {
        ClientWebSocket? socket;
        lock (_gate)
        {
            socket = _socket;
        }

        if (socket is { State: WebSocketState.Open })
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", timeout.Token);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
            {
            }
        }

        _disposed.Cancel();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }
    }
}
