using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Stoa.Docs.Core;
using Stoa.Foundation.Engine;
using Stoa.Foundation.Realtime;
using Stoa.Ot;

namespace Stoa.Docs.Relay;

/// <summary>
/// This node's relay for one open document: its subscriptions to the document's realtime topics (ops, presence), the
/// text at the last delivered version, and the local listeners. Committed ops arrive from this node's submits and from
/// other nodes (at most once, maybe out of order across the two); they are delivered strictly in version order,
/// out-of-order ones are buffered, and a gap is filled from the store, which is the truth. A lost publish leaves no
/// gap to notice when nothing follows it, so every few heartbeats a channel with listeners also reads the store for
/// ops after its version.
/// </summary>
internal sealed partial class DocChannel : IAsyncDisposable
{
    private const int RecentCapacity = 512;

    /// <summary>Another node's client is forgotten after this many heartbeats without a word of it.</summary>
    private const int PresenceMissedHeartbeats = 3;

    /// <summary>
    /// Heartbeats between reads of the store for ops this node never heard of: the committing node's publish failed
    /// or it crashed between commit and publish. One indexed range read per open document per period.
    /// </summary>
    private const int StoreCheckHeartbeats = 3;

    private static readonly TimeSpan s_gapGrace = TimeSpan.FromMilliseconds(30);

    private readonly Guid _appId;
    private readonly Guid _docId;
    private readonly DocService _docs;
    private readonly RealtimeHub _hub;
    private readonly string _nodeId;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Channel<Inbound> _inbound = Channel.CreateUnbounded<Inbound>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SortedDictionary<long, CommittedOp> _pending = [];
    private readonly List<CommittedOp> _recent = [];
    private readonly List<IDocListener> _listeners = [];
    private readonly PresenceBoard _presence;
    private readonly TimeSpan _presenceHeartbeat;
    private readonly CancellationTokenSource _closed = new();
    private IAsyncDisposable? _opSubscription;
    private IAsyncDisposable? _presenceSubscription;
    private Task? _pump;
    private Task? _heartbeat;
    private int _gapFillScheduled;
    private long _version;
    private string _text = "";

    public DocChannel(Guid appId, Guid docId, DocService docs, RealtimeHub hub, TimeSpan presenceHeartbeat, ILogger logger)
    {
        _nodeId = hub.NodeId;
        _presence = new PresenceBoard(_nodeId);
        _presenceHeartbeat = presenceHeartbeat;
        _appId = appId;
        _docId = docId;
        _docs = docs;
        _hub = hub;
        _logger = logger;
    }

    public int References { get; set; }

    public Task Ready { get; private set; } = Task.CompletedTask;

    /// <summary>Approximate bytes this channel keeps per open document (for the memory benchmark).</summary>
    public long ApproximateBytes => (_text.Length * 2L) + (_recent.Count * 64L);

    public long Version => _version;

    public Guid DocId => _docId;

    public void Start() => Ready = InitializeAsync();

    private async Task InitializeAsync()
    {
        await _gate.WaitAsync();
        try
        {
            // Subscribe first, then read: an op committed in between arrives on the topic and is dropped as already
            // seen, or fills in after the snapshot's version; nothing falls between the two.
            _opSubscription = await _hub.SubscribeAsync(DocService.Channel(_appId, _docId), new Topic(this, presence: false), _closed.Token);
            _presenceSubscription = await _hub.SubscribeAsync(PresenceChannel, new Topic(this, presence: true), _closed.Token);
            var snapshot = await _docs.GetAsync(_appId, _docId, _closed.Token);
            _version = snapshot.Version;
            _text = snapshot.Text;
            _pump = Task.Run(PumpAsync);
            _heartbeat = Task.Run(HeartbeatAsync);
        }
        finally
        {
            _gate.Release();
        }
    }

    private string PresenceChannel => EngineKeys.For(_appId, "docs", _docId.ToString("N"), "presence");

    private static long Now => Environment.TickCount64;

    /// <summary>A message of one of the document's topics, queued for the pump, which handles everything in order.</summary>
    private sealed class Topic(DocChannel channel, bool presence) : IRealtimeListener
    {
        public void OnMessage(RealtimeMessage message)
        {
            if (!presence && DocWire.ParseCommitted(message.Data.Span) is { } op)
            {
                channel._inbound.Writer.TryWrite(new Inbound(op, Fill: false));
            }
            else if (presence && message.NodeId != channel._nodeId && DocWire.ParsePresenceMessage(message.Data.Span) is { } update)
            {
                // This node's own presence is applied where it is published.
                channel._inbound.Writer.TryWrite(new Inbound(null, Fill: false, update));
            }
        }

        /// <summary>Messages were lost (reconnect, overflow): read what may be missing from the store.</summary>
        public void OnGap() => channel._inbound.Writer.TryWrite(new Inbound(null, Fill: true));
    }

    /// <summary>Another node's presence news. Call under the gate.</summary>
    private void OnPresence((List<Presence> Presences, bool Repeat) message)
    {
        if (message.Repeat)
        {
            foreach (var joined in _presence.Refresh(message.Presences, Now))
            {
                Broadcast(DocWire.Presence(joined), except: null);
            }
        }
        else
        {
            ApplyPresence(message.Presences[0], except: null);
        }
    }

    /// <summary>
    /// Adds a listener. Without <paramref name="from"/> it gets a snapshot first; with it, every op after that
    /// version (its own as acks), then live ops, so a reconnecting client rebuilds its text from deltas only.
    /// </summary>
    public async Task JoinAsync(IDocListener listener, long? from, string? userId, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (from is not { } after)
            {
                listener.TryEnqueue(DocWire.Snapshot(_version, _text));
                listener.After = _version;
            }
            else if (after >= _version)
            {
                // The client saw more than this node has relayed (it was on another node): live ops catch it up.
                listener.After = after;
                if (after > _version)
                {
                    await FillFromStoreAsync(cancellationToken);
                }
            }
            else
            {
                listener.After = after;
                await SendRangeAsync(listener, after, cancellationToken);
            }

            foreach (var presence in _presence.All)
            {
                listener.TryEnqueue(DocWire.Presence(presence));
            }

            _listeners.Add(listener);
            ApplyPresence(new Presence(listener.ClientId, userId, null, Online: true, _nodeId), except: listener);
        }
        finally
        {
            _gate.Release();
        }

        await PublishPresenceAsync(DocWire.Presence(new Presence(listener.ClientId, userId, null, Online: true, _nodeId)));
    }

    public async Task LeaveAsync(IDocListener listener)
    {
        Presence? left = null;
        await _gate.WaitAsync();
        try
        {
            if (_listeners.Remove(listener) && _presence.Remove(listener.ClientId, out var presence))
            {
                left = presence with { Online = false, Cursor = null, NodeId = _nodeId };
                Broadcast(DocWire.Presence(left), except: null);
            }
        }
        finally
        {
            _gate.Release();
        }

        if (left is not null)
        {
            await PublishPresenceAsync(DocWire.Presence(left));
        }
    }

    /// <summary>A cursor move from a local client: relayed to everyone else on every node.</summary>
    public async Task MoveCursorAsync(IDocListener listener, string? userId, int position)
    {
        var presence = new Presence(listener.ClientId, userId, Math.Max(0, position), Online: true, _nodeId);
        await _gate.WaitAsync();
        try
        {
            ApplyPresence(presence, except: listener);
        }
        finally
        {
            _gate.Release();
        }

        await PublishPresenceAsync(DocWire.Presence(presence));
    }

    private void ApplyPresence(Presence presence, IDocListener? except)
    {
        if (_presence.Apply(presence, Now))
        {
            Broadcast(DocWire.Presence(presence), except);
        }
    }

    /// <summary>
    /// Each heartbeat: forgets the other nodes' clients not heard of for a few heartbeats (their node crashed, or
    /// their leave was lost) and repeats this node's clients to the others, which also tells a node that opened the
    /// document later who was already there.
    /// </summary>
    private async Task HeartbeatAsync()
    {
        var expiry = (long)(_presenceHeartbeat.TotalMilliseconds * PresenceMissedHeartbeats);
        using var timer = new PeriodicTimer(_presenceHeartbeat);
        try
        {
            for (var tick = 1; await timer.WaitForNextTickAsync(_closed.Token); tick++)
            {
                List<Presence> local;
                bool watched;
                await _gate.WaitAsync(_closed.Token);
                try
                {
                    foreach (var gone in _presence.Expire(Now, expiry))
                    {
                        Broadcast(DocWire.Presence(gone), except: null);
                    }

                    local = _presence.Local();
                    watched = _listeners.Count > 0;
                }
                finally
                {
                    _gate.Release();
                }

                if (watched && tick % StoreCheckHeartbeats == 0)
                {
                    _inbound.Writer.TryWrite(new Inbound(null, Fill: true));
                }

                if (local.Count > 0)
                {
                    await PublishPresenceAsync(DocWire.PresenceRepeat(local));
                }
            }
        }
        catch (OperationCanceledException) when (_closed.IsCancellationRequested)
        {
        }
    }

    private async Task PublishPresenceAsync(byte[] message)
    {
        try
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await _hub.PublishAsync(PresenceChannel, "presence", message, keepHistory: false, deadline.Token);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Presence is best effort: the next cursor move repeats it.
            LogPresenceFailure(_logger, e);
        }
    }

    private async Task PumpAsync()
    {
        try
        {
            await foreach (var inbound in _inbound.Reader.ReadAllAsync(_closed.Token))
            {
                await _gate.WaitAsync(_closed.Token);
                try
                {
                    if (inbound.Op is { } op)
                    {
                        Accept(op);
                    }

                    if (inbound.Presence is { } presence)
                    {
                        OnPresence(presence);
                    }

                    if (inbound.Fill)
                    {
                        await FillFromStoreAsync(_closed.Token);
                    }
                    else if (inbound.Op is not null && _pending.Count > 0 && Interlocked.CompareExchange(ref _gapFillScheduled, 1, 0) == 0)
                    {
                        // A gap: the missing op is usually a moment behind on the other path; give it that moment.
                        _ = ScheduleGapFillAsync();
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
                {
                    LogRelayFailure(_logger, _docId, e);
                }
                finally
                {
                    _gate.Release();
                }
            }
        }
        catch (OperationCanceledException) when (_closed.IsCancellationRequested)
        {
        }
    }

    private async Task ScheduleGapFillAsync()
    {
        try
        {
            await Task.Delay(s_gapGrace, _closed.Token);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        Volatile.Write(ref _gapFillScheduled, 0);
        _inbound.Writer.TryWrite(new Inbound(null, Fill: true));
    }

    private void Accept(CommittedOp op)
    {
        if (op.Version <= _version)
        {
            return;
        }

        _pending[op.Version] = op;
        while (_pending.Remove(_version + 1, out var next))
        {
            Deliver(next);
        }
    }

    private async Task FillFromStoreAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var ops = await _docs.LoadOpsAsync(_appId, _docId, _version, cancellationToken);
            foreach (var op in ops)
            {
                Accept(op);
            }

            // A full page may have more behind it; a short one is the head unless a buffered op is still missing.
            if (ops.Count == 0 || (ops.Count < DocService.PageSize && _pending.Count == 0))
            {
                break;
            }
        }

        // Anything still buffered at or below the delivered version is stale.
        foreach (var version in _pending.Keys.Where(v => v <= _version).ToList())
        {
            _pending.Remove(version);
        }
    }

    private void Deliver(CommittedOp op)
    {
        _text = TextOt.Apply(_text, op.Op);
        _version = op.Version;
        _recent.Add(op);
        if (_recent.Count > RecentCapacity)
        {
            _recent.RemoveRange(0, RecentCapacity / 2);
        }

        if (_presence.Count > 0)
        {
            _presence.Transform(op);
        }

        byte[]? opMessage = null;
        List<IDocListener>? slow = null;
        foreach (var listener in _listeners)
        {
            if (op.Version <= listener.After)
            {
                continue;
            }

            var message = string.Equals(listener.ClientId, op.ClientId, StringComparison.Ordinal)
                ? DocWire.Ack(op.Seq, op.Version)
                : opMessage ??= DocWire.Op(op);
            listener.After = op.Version;
            if (!listener.TryEnqueue(message))
            {
                (slow ??= []).Add(listener);
            }
        }

        if (slow is not null)
        {
            // A listener that cannot keep up is cut off; its client reconnects and catches up from its version.
            foreach (var listener in slow)
            {
                _listeners.Remove(listener);
            }
        }
    }

    private async Task SendRangeAsync(IDocListener listener, long after, CancellationToken cancellationToken)
    {
        IReadOnlyList<CommittedOp> ops;
        if (_recent.Count > 0 && _recent[0].Version <= after + 1)
        {
            ops = _recent.GetRange((int)(after + 1 - _recent[0].Version), (int)(_version - after));
        }
        else
        {
            var loaded = new List<CommittedOp>();
            var cursor = after;
            while (cursor < _version)
            {
                var page = await _docs.LoadOpsAsync(_appId, _docId, cursor, cancellationToken);
                if (page.Count == 0)
                {
                    break;
                }

                loaded.AddRange(page.Where(o => o.Version <= _version));
                cursor = page[^1].Version;
            }

            ops = loaded;
        }

        foreach (var op in ops)
        {
            listener.TryEnqueue(string.Equals(listener.ClientId, op.ClientId, StringComparison.Ordinal)
                ? DocWire.Ack(op.Seq, op.Version)
                : DocWire.Op(op));
            listener.After = op.Version;
        }
    }

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

    public async ValueTask DisposeAsync()
    {
        _closed.Cancel();
        _inbound.Writer.TryComplete();
        if (_opSubscription is not null)
        {
            await _opSubscription.DisposeAsync();
        }

        if (_presenceSubscription is not null)
        {
            await _presenceSubscription.DisposeAsync();
        }

        if (_pump is not null)
        {
            await _pump;
        }

        if (_heartbeat is not null)
        {
            await _heartbeat;
        }
    }

    private readonly record struct Inbound(CommittedOp? Op, bool Fill, (List<Presence> Presences, bool Repeat)? Presence = null);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Relaying document {DocId} failed; it resumes with the next op")]
    private static partial void LogRelayFailure(ILogger logger, Guid docId, Exception e);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Publishing presence failed")]
    private static partial void LogPresenceFailure(ILogger logger, Exception e);
}
