using System.Text;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http;
using Stoa.Foundation.Auth;
using Stoa.Foundation.Engine;
using Stoa.Foundation.Hosting;

namespace Stoa.Comments.Api;

/// <summary>
/// <c>GET /v1/threads/{threadId}/events</c>: server-sent events of one thread. Subscribes to the thread's engine
/// channel and relays its frames; a comment line every 15 s keeps proxies from closing an idle stream; the stream
/// ends when the node starts draining, and EventSource reconnects to another node.
/// </summary>
internal static class ThreadEventStream
{
    public static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(15);

    private static readonly byte[] s_connected = Encoding.UTF8.GetBytes(": connected\nretry: 2000\n\n");
    private static readonly byte[] s_heartbeat = Encoding.UTF8.GetBytes(": heartbeat\n\n");

    public static async Task StreamAsync(string threadId, Caller caller, HttpContext context, IPubSub pubSub, DrainState drain)
    {
        RequestValidation.ThrowIfInvalidThreadId(threadId);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, drain.Draining);
        var token = stop.Token;

        // A slow client loses the oldest frames rather than holding memory without bound (at-most-once, as pub/sub).
        var frames = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(256) { FullMode = BoundedChannelFullMode.DropOldest });
        await using var subscription = await pubSub.SubscribeAsync(EngineCommentEvents.Channel(caller.AppId, threadId), (_, payload) =>
        {
            frames.Writer.TryWrite(payload.ToArray());
            return ValueTask.CompletedTask;
        }, token);

        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        try
        {
            await response.Body.WriteAsync(s_connected, token);
            await response.Body.FlushAsync(token);
            while (!token.IsCancellationRequested)
            {
                using var beat = CancellationTokenSource.CreateLinkedTokenSource(token);
                beat.CancelAfter(Heartbeat);
                byte[] frame;
                try
                {
                    frame = await frames.Reader.ReadAsync(beat.Token);
                }
                catch (OperationCanceledException) when (!token.IsCancellationRequested)
                {
                    frame = s_heartbeat;
                }

                await response.Body.WriteAsync(frame, token);
                await response.Body.FlushAsync(token);
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // The client left or the node is draining: end the response normally.
        }
    }
}
