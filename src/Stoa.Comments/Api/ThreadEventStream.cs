using Microsoft.AspNetCore.Http;
using Stoa.Comments.Realtime;
using Stoa.Foundation.Auth;
using Stoa.Foundation.Hosting;
using Stoa.Foundation.Realtime;

namespace Stoa.Comments.Api;

/// <summary>
/// <c>GET /v1/threads/{threadId}/events</c>: server-sent events of one thread (<c>comment.created</c>,
/// <c>comment.updated</c>, <c>comment.counts</c>), each with an id. EventSource sends the last id back when it
/// reconnects (Last-Event-ID), and the stream first replays what the client missed from the thread's recent history,
/// or sends one <c>reload</c> event when that history no longer reaches back (then the client reloads the listing).
/// The stream ends when the node starts draining, and EventSource reconnects to another node.
/// </summary>
internal static class ThreadEventStream
{
    public static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(15);

    /// <summary>Events a slow client may fall behind by before it is sent a gap (then replayed from history).</summary>
    private const int QueueLength = 256;

    private static readonly SseStreamOptions s_options = new(TimeSpan.FromSeconds(2), Heartbeat, Greeting: "connected");

    public static async Task StreamAsync(string threadId, Caller caller, HttpContext context, RealtimeHub hub, DrainState drain)
    {
        RequestValidation.ThrowIfInvalidThreadId(threadId);
        var topic = ThreadEvents.Topic(caller.AppId, threadId);
        var outbox = new ResumableOutbox(hub, topic, SseStream.LastEventId(context), QueueLength);
        await using var subscription = await hub.SubscribeAsync(topic, outbox, context.RequestAborted);
        await SseStream.RunAsync(context, outbox, s_options, drain);
    }
}
