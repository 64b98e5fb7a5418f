using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Stoa.Docs.Core;
using Stoa.Docs.Protocol;
using Stoa.Foundation.Hosting;
using Stoa.Foundation.Realtime;

namespace Stoa.Docs.Relay;

/// <summary>
/// This node's delivery of one open document to its local sockets. It holds versions and a window of recent ops, never
/// the text: committed ops arrive on the document's topic from this node's sequencer and from other nodes (at most
/// once, maybe out of order across the two) and are delivered strictly in version order; out-of-order ones wait, and a
/// gap is filled from the store, which is the truth. A lost publish leaves no gap to notice when nothing follows it,
/// so every few presence heartbeats a channel with listeners also reads the store for ops after its version.
/// </summary>
internal sealed partial class DocChannel : IRealtimeListener, IAsyncDisposable
{
    /// <summary>Heartbeats between reads of the store for ops this node never heard of.</summary>
    private const int StoreCheckHeartbeats = 3;

    /// <summary>Ops read from the store per catch-up page (also bounded by bytes).</summary>
    private const int PageOps = 1_000;

    private static readonly TimeSpan s_gapGrace = TimeSpan.FromMilliseconds(30);

    private readonly Guid _appId;
    private readonly Guid _docId;
    private readonly DocCatalog _catalog;
    private readonly DocAccessControl _access;
    private readonly RealtimeHub _hub;
    private readonly DocOptions _options;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Channel<Inbound> _inbound = Channel.CreateUnbounded<Inbound>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SortedDictionary<long, (CommittedOp Op, string? Trace)> _waiting = [];
    private readonly RecentOps _recent;
    private readonly List<IDocListener> _listeners = [];
    private readonly CancellationTokenSource _closed = new();
    private IAsyncDisposable? _subscription;
    private Task? _pump;
    private Task? _storeChecks;
    private int _gapFillScheduled;
    private long _version;

    public DocChannel(Guid appId, Guid docId, DocCatalog catalog, DocAccessControl access, RealtimeHub hub, DocOptions options, ILogger logger)
    {
        _appId = appId;
        _docId = docId;
        _catalog = catalog;
        _access = access;
        _hub = hub;
        _options = options;
        _logger = logger;
        _recent = new RecentOps(options.RecentOpsBytes);
        Presence = new DocPresence(appId, docId, hub, TimeSpan.FromSeconds(options.PresenceHeartbeatSeconds), logger);
    }

    public int References { get; set; }

    public Task Ready { get; private set; } = Task.CompletedTask;

    public DocPresence Presence { get; }

    /// <summary>Approximate bytes this channel keeps (its window of recent ops), for the memory benchmark.</summary>
    public long ApproximateBytes => _recent.Bytes;

    public long Version => Volatile.Read(ref _version);

    public Guid DocId => _docId;

    public void Start() => Ready = InitializeAsync();

    private async Task InitializeAsync()
    {
        // Subscribe first, then read the head: an op committed in between arrives on the topic and is dropped as
        // already counted, or follows the head; nothing falls between the two.
        _subscription = await _hub.SubscribeAsync(CommitFeed.Topic(_appId, _docId), this, _closed.Token);
        await Presence.StartAsync(_closed.Token);
        Volatile.Write(ref _version, await _catalog.HeadAsync(_appId, _docId, _closed.Token));
        _pump = BackgroundLoop.Start(PumpAsync);
        _storeChecks = BackgroundLoop.Start(StoreChecksAsync);
    }

    public void OnMessage(RealtimeMessage message)
    {
        if (message.Type == CommitFeed.AccessType)
        {
            _inbound.Writer.TryWrite(new Inbound(null, Fill: false, AccessChanged: true));
        }
        else if (CommitPayloads.Read(message.Data) is { } op)
        {
            _inbound.Writer.TryWrite(new Inbound(op, Fill: false) { Trace = message.TraceParent });
        }
    }

    /// <summary>Messages were lost (reconnect, overflow): read what may be missing from the store.</summary>
    public void OnGap() => _inbound.Writer.TryWrite(new Inbound(null, Fill: true));

    /// <summary>
    /// Adds a listener. Without <paramref name="from"/> it gets a snapshot first; with it, every op after that version
    /// (its own as acks), read from the store a page at a time at the listener's pace, then live ops, so a
    /// reconnecting client rebuilds its text from deltas only. Returns the version the listener's stream starts after.
    /// </summary>
    public async Task<long> JoinAsync(IDocListener listener, long? from, Func<CancellationToken, Task<DocSnapshot>> snapshot,
        CancellationToken cancellationToken)
    {
        long after;
        if (from is { } version)
        {
            after = version;
        }
        else
        {
            var current = await snapshot(cancellationToken);
            listener.TryEnqueue(DocMessages.Write(new SnapshotMessage(current.Version, current.Text)));
            after = current.Version;
        }

        var start = after;
        while (!await TryGoLiveAsync(listener, after, cancellationToken))
        {
            var (page, _) = await _catalog.ReadOpsAsync(_appId, _docId, after, PageOps, cancellationToken);
            foreach (var op in page)
            {
                listener.TryEnqueue(MessageFor(listener, op));
            }

            after = page[^1].Version;
            await listener.WaitForRoomAsync(cancellationToken);
        }

        await Presence.JoinAsync(listener);
        return start;
    }

    /// <summary>
    /// Makes the listener live when the recent window reaches back to <paramref name="after"/> (sending what it holds
    /// after it); false when the listener must read more from the store first.
    /// </summary>
    private async Task<bool> TryGoLiveAsync(IDocListener listener, long after, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (after > _version)
            {
                // The client saw more than this node has delivered (it was on another node): live ops catch it up.
                listener.After = after;
                _listeners.Add(listener);
                _inbound.Writer.TryWrite(new Inbound(null, Fill: true));
                return true;
            }

            if (_recent.After(after, _version) is not { } ops)
            {
                return false;
            }

            foreach (var op in ops)
            {
                listener.TryEnqueue(MessageFor(listener, op));
            }

            listener.After = _version;
            _listeners.Add(listener);
            return true;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task LeaveAsync(IDocListener listener)
    {
        await _gate.WaitAsync();
        try
        {
            _listeners.Remove(listener);
        }
        finally
        {
            _gate.Release();
        }

        await Presence.LeaveAsync(listener);
    }

    private static byte[] MessageFor(IDocListener listener, CommittedOp op) => listener.IsOwn(op)
        ? DocMessages.Write(new AckMessage(op.Seq, op.Version))
        : DocMessages.Write(new OpMessage(op.Version, op.Op, op.ClientId, op.UserId));

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
                        Accept(op, inbound.Trace);
                    }

                    if (inbound.AccessChanged)
                    {
                        await RecheckAccessAsync(_closed.Token);
                    }

                    if (inbound.Fill)
                    {
                        await FillFromStoreAsync(_closed.Token);
                    }
                    else if (inbound.Op is not null && _waiting.Count > 0 && Interlocked.CompareExchange(ref _gapFillScheduled, 1, 0) == 0)
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

    // Under the gate. An op read from the store has no trace: its announcement was lost.
    private void Accept(CommittedOp op, string? trace = null)
    {
        if (op.Version <= _version)
        {
            return;
        }

        _waiting[op.Version] = (op, trace);
        while (_waiting.Remove(_version + 1, out var next))
        {
            Deliver(next.Op, next.Trace);
        }

        if (_waiting.Count > PageOps)
        {
            // Far ahead of a gap that is not filling: drop the waiting ops, the store fill reads them again.
            _waiting.Clear();
            _inbound.Writer.TryWrite(new Inbound(null, Fill: true));
        }
    }

    // Under the gate.
    private async Task FillFromStoreAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            IReadOnlyList<CommittedOp> ops;
            long head;
            try
            {
                (ops, head) = await _catalog.ReadOpsAsync(_appId, _docId, _version, PageOps, cancellationToken);
            }
            catch (Foundation.Errors.ApiException e) when (e.Code == DocErrors.VersionTooOld)
            {
                // This node missed more than the op log keeps: its sockets cannot be caught up by deltas. They are
                // closed with the reason; their clients fetch the document again.
                foreach (var listener in _listeners)
                {
                    listener.Revoke(e);
                }

                _listeners.Clear();
                _waiting.Clear();
                _recent.Clear();
                Volatile.Write(ref _version, await _catalog.HeadAsync(_appId, _docId, cancellationToken));
                return;
            }

            foreach (var op in ops)
            {
                Accept(op);
            }

            if (ops.Count == 0 || _version >= head)
            {
                break;
            }
        }

        // Anything still waiting at or below the delivered version is stale.
        foreach (var version in _waiting.Keys.Where(v => v <= _version).ToList())
        {
            _waiting.Remove(version);
        }
    }

    // Under the gate.
    private void Deliver(CommittedOp op, string? trace)
    {
        Volatile.Write(ref _version, op.Version);
        _recent.Add(op);
        Presence.Transform(op);
        byte[]? opMessage = null;
        List<IDocListener>? slow = null;
        foreach (var listener in _listeners)
        {
            if (op.Version <= listener.After)
            {
                continue;
            }

            var message = listener.IsOwn(op)
                ? DocMessages.Write(new AckMessage(op.Seq, op.Version))
                : opMessage ??= DocMessages.Write(new OpMessage(op.Version, op.Op, op.ClientId, op.UserId));
            listener.After = op.Version;
            if (!listener.TryEnqueue(message, trace))
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

    /// <summary>The document's rule changed: every listener that may no longer open it is told and closed.</summary>
    private async Task RecheckAccessAsync(CancellationToken cancellationToken)
    {
        _access.Forget(_appId, _docId);
        var rule = await _access.RuleAsync(_appId, _docId, cancellationToken);
        foreach (var listener in _listeners.ToList())
        {
            if (rule is null || !await _access.AllowsAsync(listener.Caller, _docId, rule, cancellationToken))
            {
                _listeners.Remove(listener);
                listener.Revoke(rule is null ? DocErrors.NotFound(_docId) : DocErrors.Forbidden(_docId));
            }
        }
    }

    private async Task StoreChecksAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(_options.PresenceHeartbeatSeconds * StoreCheckHeartbeats));
        try
        {
            while (await timer.WaitForNextTickAsync(_closed.Token))
            {
                _inbound.Writer.TryWrite(new Inbound(null, Fill: true));
            }
        }
        catch (OperationCanceledException) when (_closed.IsCancellationRequested)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        _closed.Cancel();
        _inbound.Writer.TryComplete();
        if (_subscription is not null)
        {
            await _subscription.DisposeAsync();
        }

        await Presence.DisposeAsync();
        if (_pump is not null)
        {
            await _pump;
        }

        if (_storeChecks is not null)
        {
            await _storeChecks;
        }
    }

    private readonly record struct Inbound(CommittedOp? Op, bool Fill, bool AccessChanged = false)
    {
        /// <summary>The trace of the commit, as it reached this node (the receive span on another node's).</summary>
        public string? Trace { get; init; }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Relaying document {DocId} failed; it resumes with the next op")]
    private static partial void LogRelayFailure(ILogger logger, Guid docId, Exception e);
}
