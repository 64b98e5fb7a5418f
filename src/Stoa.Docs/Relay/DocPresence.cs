using Microsoft.Extensions.Logging;
using Stoa.Docs.Core;
using Stoa.Foundation.Engine;
using Stoa.Foundation.Hosting;
using Stoa.Foundation.Realtime;

namespace Stoa.Docs.Relay;

/// <summary>
/// Who is on one open document, for this node's sockets on it: joins, cursor moves and leaves are applied here and
/// published on the document's presence topic; other nodes' are applied as they arrive. A crashed node never says its
/// clients left, so each node repeats its own clients every heartbeat and forgets another node's after a few silent
/// ones (<see cref="PresenceBoard"/>). Cursor positions follow the delivered ops.
/// </summary>
internal sealed partial class DocPresence : IRealtimeListener, IAsyncDisposable
{
    /// <summary>Another node's client is forgotten after this many heartbeats without a word of it.</summary>
    private const int MissedHeartbeats = 3;

    private static readonly TimeSpan s_publishTimeout = TimeSpan.FromSeconds(2);

    private readonly Lock _gate = new();
    private readonly List<IDocListener> _listeners = [];
    private readonly PresenceBoard _board;
    private readonly RealtimeHub _hub;
    private readonly string _topic;
    private readonly TimeSpan _heartbeat;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _closed = new();
    private IAsyncDisposable? _subscription;
    private Task? _heartbeats;

    public DocPresence(Guid appId, Guid docId, RealtimeHub hub, TimeSpan heartbeat, ILogger logger)
    {
        _hub = hub;
        _board = new PresenceBoard(hub.NodeId);
        _topic = EngineKeys.For(appId, "docs", docId.ToString("N"), "presence");
        _heartbeat = heartbeat;
        _logger = logger;
    }

    private static long Now => Environment.TickCount64;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _subscription = await _hub.SubscribeAsync(_topic, this, cancellationToken);
        _heartbeats = BackgroundLoop.Start(HeartbeatAsync);
    }

    /// <summary>Sends the listener who is there, then tells everyone it joined.</summary>
    public Task JoinAsync(IDocListener listener)
    {
        var joined = Of(listener, cursor: null, online: true);
        lock (_gate)
        {
            foreach (var presence in _board.All)
            {
                listener.TryEnqueue(PresencePayloads.ForClient(presence));
            }

            _listeners.Add(listener);
            Apply(joined, except: listener);
        }

        return PublishAsync(PresencePayloads.Change(joined));
    }

    public Task LeaveAsync(IDocListener listener)
    {
        Presence? left = null;
        lock (_gate)
        {
            if (_listeners.Remove(listener) && _board.Remove((listener.Caller.UserId, listener.ClientId), out var presence))
            {
                left = presence with { Online = false, Cursor = null, NodeId = _hub.NodeId };
                Broadcast(PresencePayloads.ForClient(left), except: null);
            }
        }

        return left is null ? Task.CompletedTask : PublishAsync(PresencePayloads.Change(left));
    }

    /// <summary>A local client's cursor moved (the socket has already coalesced fast moves): relayed everywhere.</summary>
    public Task MoveCursorAsync(IDocListener listener, int position)
    {
        var moved = Of(listener, Math.Max(0, position), online: true);
        lock (_gate)
        {
            Apply(moved, except: listener);
        }

        return PublishAsync(PresencePayloads.Change(moved));
    }

    /// <summary>Moves the cursors past a delivered op, so each keeps pointing at the same text.</summary>
    public void Transform(CommittedOp op)
    {
        lock (_gate)
        {
            if (_board.Count > 0)
            {
                _board.Transform(op);
            }
        }
    }

    public void OnMessage(RealtimeMessage message)
    {
        // This node's own presence is applied where it is published.
        if (message.NodeId == _hub.NodeId || PresencePayloads.Read(message.Data) is not { } update)
        {
            return;
        }

        lock (_gate)
        {
            if (update.Repeat)
            {
                foreach (var joined in _board.Refresh(update.Presences, Now))
                {
                    Broadcast(PresencePayloads.ForClient(joined), except: null);
                }
            }
            else
            {
                Apply(update.Presences[0], except: null);
            }
        }
    }

    /// <summary>Presence lost in a gap is repaired by the next heartbeat's repeats.</summary>
    public void OnGap()
    {
    }

    private Presence Of(IDocListener listener, int? cursor, bool online) =>
        new(listener.ClientId, listener.Caller.UserId, cursor, online, _hub.NodeId);

    // Under the gate.
    private void Apply(Presence presence, IDocListener? except)
    {
        if (_board.Apply(presence, Now))
        {
            Broadcast(PresencePayloads.ForClient(presence), except);
        }
    }

    // Under the gate.
    private void Broadcast(byte[] message, IDocListener? except)
    {
        foreach (var listener in _listeners)
        {
            if (!ReferenceEquals(listener, except))
            {
                listener.TryEnqueue(message);
            }
        }
    }

    /// <summary>
    /// Each heartbeat: forgets the other nodes' clients not heard of for a few heartbeats and repeats this node's
    /// clients to the others, which also tells a node that opened the document later who was already there.
    /// </summary>
    private async Task HeartbeatAsync()
    {
        var expiry = (long)(_heartbeat.TotalMilliseconds * MissedHeartbeats);
        using var timer = new PeriodicTimer(_heartbeat);
        try
        {
            while (await timer.WaitForNextTickAsync(_closed.Token))
            {
                List<Presence> local;
                lock (_gate)
                {
                    foreach (var gone in _board.Expire(Now, expiry))
                    {
                        Broadcast(PresencePayloads.ForClient(gone), except: null);
                    }

                    local = _board.Local();
                }

                if (local.Count > 0)
                {
                    await PublishAsync(PresencePayloads.Repeat(local));
                }
            }
        }
        catch (OperationCanceledException) when (_closed.IsCancellationRequested)
        {
        }
    }

    private async Task PublishAsync(byte[] message)
    {
        try
        {
            using var deadline = new CancellationTokenSource(s_publishTimeout);
            await _hub.PublishAsync(_topic, "presence", message, keepHistory: false, deadline.Token);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Presence is best effort: the next move or heartbeat repeats it.
            LogPresenceFailure(_logger, e);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _closed.Cancel();
        if (_subscription is not null)
        {
            await _subscription.DisposeAsync();
        }

        if (_heartbeats is not null)
        {
            await _heartbeats;
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Publishing presence failed")]
    private static partial void LogPresenceFailure(ILogger logger, Exception e);
}
