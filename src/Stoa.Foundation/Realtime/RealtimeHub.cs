using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Stoa.Foundation.Engine;

namespace Stoa.Foundation.Realtime;

/// <summary>
/// The node's one fan-out of realtime messages, for every module (centrifugal/centrifuge's Hub is the model). A topic
/// is a string under an app id (<see cref="EngineKeys"/>); a module publishes to it and subscribes listeners to it,
/// and owns nothing else of the delivery.
/// <list type="bullet">
/// <item>One engine subscription per topic per node, shared by the node's listeners and dropped with the last.</item>
/// <item>A message published here reaches this node's listeners at once and the other nodes through the engine; every
/// message carries its node's id, so a node skips its own echo without decoding it.</item>
/// <item>Delivery is at most once and in order per publisher, as the engine's pub/sub. When the engine reports that
/// messages may have been lost (a reconnect, an overflowing subscription), every listener is told
/// (<see cref="IRealtimeListener.OnGap"/>): the stream layer re-reads the topic's history, docs read the store.</item>
/// <item>A topic published with history keeps its last <see cref="HistoryLength"/> messages in the engine for
/// <see cref="HistoryTtl"/>, each with an id, so that a client reconnecting to any node can be sent what it missed.</item>
/// </list>
/// </summary>
public sealed partial class RealtimeHub : IAsyncDisposable
{
    public const int HistoryLength = 256;
    public static readonly TimeSpan HistoryTtl = TimeSpan.FromHours(1);

    private readonly IEngine _engine;
    private readonly ILogger<RealtimeHub> _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, Topic> _topics = new(StringComparer.Ordinal);
    private readonly Histogram<double>? _fanOutLag;
    private readonly TimeProvider _time;

    /// <param name="meters">The host's meters, for the fan-out lag; none in tests of the hub alone.</param>
    public RealtimeHub(IEngine engine, ILogger<RealtimeHub> logger, IMeterFactory? meters = null, TimeProvider? time = null)
    {
        _engine = engine;
        _logger = logger;
        _time = time ?? TimeProvider.System;
        _fanOutLag = meters?.Create(RealtimeTelemetry.Name).CreateHistogram<double>("stoa.realtime.fanout.lag", "s",
            "Time from a message's publication on another node to its arrival here, by module (the nodes' clocks must agree).", tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });
        _engine.SubscriptionsRestored += OnEngineGap;
    }

    /// <summary>This node's id in every message it publishes.</summary>
    public string NodeId { get; } = Guid.NewGuid().ToString("N")[..12];

    /// <summary>Local listeners of a topic (for tests and metrics).</summary>
    public int ListenerCount(string topic)
    {
        lock (_topics)
        {
            return _topics.TryGetValue(topic, out var state) ? state.Listeners.Length : 0;
        }
    }

    /// <summary>Topics with at least one listener on this node.</summary>
    public int TopicCount
    {
        get
        {
            lock (_topics)
            {
                return _topics.Count;
            }
        }
    }

    /// <summary>
    /// Publishes to every listener of the topic on every node. With <paramref name="keepHistory"/> the message is first
    /// appended to the topic's history and carries its id. Throws when the engine does not take it (the caller decides
    /// whether that matters: a committed write does not fail because its announcement did).
    /// </summary>
    public async ValueTask<RealtimeMessage> PublishAsync(string topic, string type, ReadOnlyMemory<byte> data, bool keepHistory,
        CancellationToken cancellationToken)
    {
        using var span = RealtimeTelemetry.StartPublish(topic, NodeId);
        var id = keepHistory
            ? await _engine.AppendAsync(HistoryKey(topic), RealtimeEnvelope.EncodeHistory(type, data.Span), HistoryLength, HistoryTtl, cancellationToken)
            : null;
        var message = NewMessage(topic, id, type, data);
        Deliver(topic, message);
        await _engine.PublishAsync(topic, RealtimeEnvelope.Encode(message), cancellationToken);
        return message;
    }

    /// <summary>
    /// The first half of <see cref="PublishAsync"/> for a topic without history: this node's listeners get the message
    /// now, whatever the engine does. Send it on with <see cref="SendToOtherNodesAsync"/>.
    /// </summary>
    public RealtimeMessage DeliverHere(string topic, string type, ReadOnlyMemory<byte> data)
    {
        var message = NewMessage(topic, null, type, data);
        Deliver(topic, message);
        return message;
    }

    /// <summary>The second half: the other nodes' listeners get a message this node delivered with <see cref="DeliverHere"/>.</summary>
    public ValueTask SendToOtherNodesAsync(RealtimeMessage message, CancellationToken cancellationToken) =>
        _engine.PublishAsync(message.Topic, RealtimeEnvelope.Encode(message), cancellationToken);

    /// <summary>Delivers until the returned handle is disposed; messages published after the task completes are delivered.</summary>
    public async ValueTask<IAsyncDisposable> SubscribeAsync(string topic, IRealtimeListener listener, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            Topic? state;
            lock (_topics)
            {
                _topics.TryGetValue(topic, out state);
            }

            if (state is null)
            {
                var created = new Topic();
                created.Subscription = await _engine.SubscribeAsync(topic, (_, payload) => OnRemote(topic, created, payload), cancellationToken);
                state = created;
                lock (_topics)
                {
                    _topics[topic] = state;
                }
            }

            lock (_topics)
            {
                state.Listeners = [.. state.Listeners, listener];
            }
        }
        finally
        {
            _gate.Release();
        }

        return new Membership(this, topic, listener);
    }

    /// <summary>
    /// The topic's messages after <paramref name="afterId"/>, oldest first; <see cref="HistoryRead.Found"/> is false when
    /// the history no longer reaches back to it (the client must reload the current state instead).
    /// </summary>
    public async ValueTask<HistoryRead> ReadHistoryAsync(string topic, string afterId, int count, CancellationToken cancellationToken)
    {
        var read = await _engine.ReadAfterAsync(HistoryKey(topic), afterId, count, cancellationToken);
        return new HistoryRead(read.Found, [.. read.Entries
            .Select(e => RealtimeEnvelope.DecodeHistory(topic, e.Id, e.Entry, NodeId))
            .OfType<RealtimeMessage>()]);
    }

    private static string HistoryKey(string topic) => topic + ":history";

    /// <summary>The trace the message is published in (the current span's) and the time, for the nodes that receive it.</summary>
    private RealtimeMessage NewMessage(string topic, string? id, string type, ReadOnlyMemory<byte> data) =>
        new(topic, id, type, data, NodeId, Activity.Current?.Id, _time.GetUtcNow().ToUnixTimeMilliseconds());

    private ValueTask OnRemote(string topic, Topic state, ReadOnlyMemory<byte> payload)
    {
        if (RealtimeEnvelope.IsFrom(payload.Span, NodeId))
        {
            // Delivered locally when it was published.
            return ValueTask.CompletedTask;
        }

        if (RealtimeEnvelope.Decode(topic, payload) is { } message)
        {
            if (_fanOutLag is not null && message.PublishedAt > 0)
            {
                var lag = _time.GetUtcNow().ToUnixTimeMilliseconds() - message.PublishedAt;
                _fanOutLag.Record(Math.Max(0, lag) / 1000.0, new KeyValuePair<string, object?>("module", RealtimeTelemetry.Destination(topic)));
            }

            // The receive span stands for the message here: listeners hand on its context, not the publisher's.
            using var span = RealtimeTelemetry.StartReceive(message, NodeId);
            if (span is not null)
            {
                message = message with { TraceParent = span.Id };
            }

            foreach (var listener in state.Listeners)
            {
                Notify(listener, message);
            }
        }

        return ValueTask.CompletedTask;
    }

    private void Deliver(string topic, RealtimeMessage message)
    {
        IRealtimeListener[] listeners;
        lock (_topics)
        {
            listeners = _topics.TryGetValue(topic, out var state) ? state.Listeners : [];
        }

        foreach (var listener in listeners)
        {
            Notify(listener, message);
        }
    }

    private void Notify(IRealtimeListener listener, RealtimeMessage message)
    {
        try
        {
            listener.OnMessage(message);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // One listener's failure must not keep the message from the others.
            LogListenerFailed(_logger, message.Topic, ex);
        }
    }

    private void OnEngineGap()
    {
        IRealtimeListener[] listeners;
        lock (_topics)
        {
            listeners = [.. _topics.Values.SelectMany(t => t.Listeners)];
        }

        foreach (var listener in listeners)
        {
            try
            {
                listener.OnGap();
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                LogListenerFailed(_logger, "(gap)", ex);
            }
        }
    }

    private async ValueTask RemoveAsync(string topic, IRealtimeListener listener)
    {
        IAsyncDisposable? unsubscribe = null;
        await _gate.WaitAsync(CancellationToken.None);
        try
        {
            lock (_topics)
            {
                if (!_topics.TryGetValue(topic, out var state))
                {
                    return;
                }

                state.Listeners = [.. state.Listeners.Where(l => !ReferenceEquals(l, listener))];
                if (state.Listeners.Length == 0)
                {
                    _topics.Remove(topic);
                    unsubscribe = state.Subscription;
                }
            }

            if (unsubscribe is not null)
            {
                await unsubscribe.DisposeAsync();
            }
        }
        catch (Exception ex) when (EngineFailure.FindUnreachable(ex) is not null)
        {
            // The engine is gone, and the subscription with it.
            LogUnsubscribeFailed(_logger, topic, ex);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _engine.SubscriptionsRestored -= OnEngineGap;
        List<IAsyncDisposable> subscriptions;
        lock (_topics)
        {
            subscriptions = [.. _topics.Values.Select(t => t.Subscription).OfType<IAsyncDisposable>()];
            _topics.Clear();
        }

        foreach (var subscription in subscriptions)
        {
            try
            {
                await subscription.DisposeAsync();
            }
            catch (Exception ex) when (EngineFailure.FindUnreachable(ex) is not null)
            {
                LogUnsubscribeFailed(_logger, "(shutdown)", ex);
            }
        }
    }

    private sealed class Topic
    {
        public IAsyncDisposable? Subscription;

        // Replaced, never mutated: delivery reads it without a lock.
        public volatile IRealtimeListener[] Listeners = [];
    }

    private sealed class Membership(RealtimeHub hub, string topic, IRealtimeListener listener) : IAsyncDisposable
    {
        private int _disposed;

        public ValueTask DisposeAsync() =>
            Interlocked.Exchange(ref _disposed, 1) == 0 ? hub.RemoveAsync(topic, listener) : ValueTask.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A realtime listener of {Topic} failed")]
    private static partial void LogListenerFailed(ILogger logger, string topic, Exception ex);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not unsubscribe from {Topic}")]
    private static partial void LogUnsubscribeFailed(ILogger logger, string topic, Exception ex);
}

/// <summary>What <see cref="RealtimeHub.ReadHistoryAsync"/> found.</summary>
public sealed record HistoryRead(bool Found, IReadOnlyList<RealtimeMessage> Messages);
