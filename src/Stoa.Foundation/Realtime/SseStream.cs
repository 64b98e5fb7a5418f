using System.Buffers;
using System.Diagnostics;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Stoa.Foundation.Engine;
using Stoa.Foundation.Hosting;

namespace Stoa.Foundation.Realtime;

/// <summary>How one module's server-sent event streams look.</summary>
/// <param name="Retry">The reconnect delay EventSource is told (the <c>retry:</c> field).</param>
/// <param name="Heartbeat">Idle time after which a comment line is sent, so proxies do not close the stream.</param>
/// <param name="Greeting">A comment sent first (a client can tell the stream is open), or none.</param>
public sealed record SseStreamOptions(TimeSpan Retry, TimeSpan Heartbeat, string? Greeting = null);

/// <summary>
/// The one writer of server-sent events (text/event-stream): every event as <c>id:</c> (when it has one, so EventSource
/// sends it back as Last-Event-ID on reconnect), <c>event:</c> and <c>data:</c>; a comment line when idle; flushed once
/// per batch. The stream ends when the client leaves, the node starts draining (EventSource then reconnects, through
/// the balancer, to another node), the outbox ends it, or the engine becomes unreachable.
/// </summary>
public static class SseStream
{
    private static readonly byte[] s_heartbeat = ": heartbeat\n\n"u8.ToArray();

    /// <summary>The Last-Event-ID a reconnecting EventSource sends (or <c>lastEventId</c> in the query, for a first connect).</summary>
    public static string? LastEventId(HttpContext context) =>
        context.Request.Headers["Last-Event-ID"].ToString() is { Length: > 0 } header ? header
        : context.Request.Query["lastEventId"].ToString() is { Length: > 0 } query ? query
        : null;

    public static async Task RunAsync(HttpContext context, IOutbox outbox, SseStreamOptions options, DrainState drain)
    {
        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache, no-store";
        // Tells nginx-style proxies not to buffer the stream.
        response.Headers["X-Accel-Buffering"] = "no";
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, drain.Draining);
        var body = response.BodyWriter;
        // The span of the request that opened the stream: each delivery links to it.
        var stream = Activity.Current?.Context ?? default;
        try
        {
            var greeting = options.Greeting is null ? "" : $": {options.Greeting}\n";
            await body.WriteAsync(Encoding.UTF8.GetBytes($"{greeting}retry: {(long)options.Retry.TotalMilliseconds}\n\n"), stop.Token);
            await body.FlushAsync(stop.Token);
            while (!stop.IsCancellationRequested)
            {
                var batch = await outbox.TakeAsync(options.Heartbeat, stop.Token);
                if (batch.Messages.Count == 0 && batch.End is null)
                {
                    body.Write(s_heartbeat);
                }

                using (RealtimeTelemetry.StartDeliver(batch.Messages, stream))
                {
                    foreach (var message in batch.Messages)
                    {
                        Write(body, message);
                    }

                    await body.FlushAsync(stop.Token);
                }

                if (batch.End is not null)
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The client left or the node is draining: the stream simply ends.
        }
        catch (Exception ex) when (EngineFailure.IsUnreachable(ex))
        {
            // The engine went away: end the stream; the client reconnects after the advertised retry delay and
            // resumes (or reloads) from there.
        }
    }

    private static void Write(IBufferWriter<byte> body, RealtimeMessage message)
    {
        if (message.Id is { } id)
        {
            body.Write("id: "u8);
            body.Write(Encoding.UTF8.GetBytes(id));
            body.Write("\n"u8);
        }

        body.Write("event: "u8);
        body.Write(Encoding.UTF8.GetBytes(message.Type));
        body.Write("\n"u8);

        // A data line ends at a line break: data spanning lines is sent as several data lines, which EventSource joins.
        var data = message.Data.Span;
        while (true)
        {
            var end = data.IndexOf((byte)'\n');
            body.Write("data: "u8);
            body.Write(end < 0 ? data : data[..end]);
            body.Write("\n"u8);
            if (end < 0)
            {
                break;
            }

            data = data[(end + 1)..];
        }

        body.Write("\n"u8);
    }
}
