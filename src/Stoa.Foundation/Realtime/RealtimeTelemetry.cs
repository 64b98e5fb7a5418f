using System.Collections.Concurrent;
using System.Diagnostics;
using Stoa.Foundation.Engine;
using Stoa.Foundation.Telemetry;

namespace Stoa.Foundation.Realtime;

/// <summary>
/// The realtime layer's spans, under <c>Stoa.Realtime</c>, by the messaging semantic conventions: a message published
/// in a trace is <c>publish {module}</c> (producer); on each other node it arrives as <c>receive {module}</c>
/// (consumer), the child of the publisher's span through the W3C traceparent the envelope carries, so the one trace
/// shows the write and every node it reached; its delivery to a client stream is <c>deliver {module}</c>, in the same
/// trace, linked to the stream's own request span. Messages outside a trace start none of them.
/// </summary>
public static class RealtimeTelemetry
{
    public const string Name = "Stoa.Realtime";

    /// <summary>Links from one delivery span to the other messages it sent and to the stream.</summary>
    private const int MaxLinks = 32;

    internal static readonly ActivitySource Source = new(Name);

    private const int MaxDestinations = 64;
    private static readonly ConcurrentDictionary<string, string> s_destinations = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> s_lookup =
        s_destinations.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>
    /// The destination as the conventions want it, low in cardinality: the topic's module, not the topic (one string
    /// per module for the life of the process, since each message received asks).
    /// </summary>
    public static string Destination(string topic)
    {
        var module = EngineKeys.ModuleOf(topic);
        if (module.IsEmpty)
        {
            return "realtime";
        }

        if (s_lookup.TryGetValue(module, out var known))
        {
            return known;
        }

        if (s_destinations.Count >= MaxDestinations)
        {
            return "realtime";
        }

        var name = module.ToString();
        return s_destinations.GetOrAdd(name, name);
    }

    internal static Activity? StartPublish(string topic, string nodeId)
    {
        if (Activity.Current is null || !Source.HasListeners())
        {
            return null;
        }

        var destination = Destination(topic);
        var activity = Source.StartActivity(SpanNames.Of("publish ", destination), ActivityKind.Producer);
        Tag(activity, "send", destination, nodeId);
        return activity;
    }

    /// <summary>A message from another node, as the child of its publisher's span (when it was published in a trace).</summary>
    internal static Activity? StartReceive(RealtimeMessage message, string nodeId)
    {
        if (message.TraceParent is null || !Source.HasListeners()
            || !ActivityContext.TryParse(message.TraceParent, null, isRemote: true, out var publisher))
        {
            return null;
        }

        var destination = Destination(message.Topic);
        var activity = Source.StartActivity(SpanNames.Of("receive ", destination), ActivityKind.Consumer, publisher);
        Tag(activity, "receive", destination, nodeId);
        activity?.SetTag("stoa.origin_node", message.NodeId);
        return activity;
    }

    /// <summary>
    /// The delivery of a batch to one client stream: in the trace of the first message that has one, linked to the
    /// others' and to <paramref name="stream"/> (the span of the request that opened the stream). Null when no
    /// message of the batch was traced.
    /// </summary>
    public static DeliverySpan StartDeliver(IReadOnlyList<RealtimeMessage> messages, ActivityContext stream)
    {
        if (messages.Count == 0 || !Source.HasListeners())
        {
            return default;
        }

        DeliverySpan span = default;
        var links = 0;
        foreach (var message in messages)
        {
            if (message.TraceParent is null || !ActivityContext.TryParse(message.TraceParent, null, isRemote: true, out var context))
            {
                continue;
            }

            if (span.Activity is null)
            {
                span = StartDeliver(Destination(message.Topic), context, [stream]);
                if (span.Activity is null)
                {
                    return span;
                }

                span.Activity.SetTag("messaging.batch.message_count", messages.Count);
            }
            else if (links++ < MaxLinks)
            {
                span.Activity.AddLink(new ActivityLink(context));
            }
        }

        return span;
    }

    /// <summary>One delivery, under <paramref name="message"/>'s trace, linked to the streams that receive it.</summary>
    public static DeliverySpan StartDeliver(string destination, ActivityContext message, IEnumerable<ActivityContext> streams)
    {
        // Its own trace context, not whatever the stream's loop carries: the delivery belongs to the message. The
        // loop's current span comes back when it ends (DeliverySpan).
        var previous = Activity.Current;
        Activity.Current = null;
        var links = streams.Where(s => s != default).Take(MaxLinks).Select(s => new ActivityLink(s)).ToList();
        var activity = Source.StartActivity(SpanNames.Of("deliver ", destination), ActivityKind.Producer, message, links: links);
        if (activity is null)
        {
            Activity.Current = previous;
        }

        Tag(activity, "deliver", destination, null);
        return new DeliverySpan(activity, previous);
    }

    private static void Tag(Activity? activity, string operation, string destination, string? nodeId)
    {
        if (activity is not { IsAllDataRequested: true })
        {
            return;
        }

        activity.SetTag("messaging.system", "stoa");
        activity.SetTag("messaging.operation.type", operation);
        activity.SetTag("messaging.destination.name", destination);
        activity.SetTag("stoa.node", nodeId);
    }
}

/// <summary>A delivery span; ending it gives the stream's loop back the span that was current before.</summary>
public readonly struct DeliverySpan(Activity? activity, Activity? previous) : IDisposable
{
    public Activity? Activity { get; } = activity;

    public void Dispose()
    {
        if (Activity is not null)
        {
            Activity.Dispose();
            System.Diagnostics.Activity.Current = previous;
        }
    }
}
