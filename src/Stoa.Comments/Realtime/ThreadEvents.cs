using System.Text.Json;
using Microsoft.Extensions.Logging;
using Stoa.Comments.Contracts;
using Stoa.Comments.Core;
using Stoa.Foundation.Engine;
using Stoa.Foundation.Realtime;

namespace Stoa.Comments.Realtime;

/// <summary>
/// A thread's events on the realtime layer: one topic per thread (under the app id), kept in the topic's history so
/// that a stream reconnecting with its last event id gets what it missed. Each event's data is the JSON of a
/// <see cref="ThreadEvent"/>, without viewer state: it goes to everyone watching the thread.
/// </summary>
internal sealed partial class ThreadEvents(RealtimeHub hub, ILogger<ThreadEvents> logger) : ICommentEvents
{
    public const string Created = "comment.created";
    public const string Updated = "comment.updated";
    public const string CountsChanged = "comment.counts";

    public static string Topic(Guid appId, string threadId) => EngineKeys.For(appId, "comments", "thread", threadId);

    public ValueTask CommentCreatedAsync(Guid appId, Comment comment, CancellationToken cancellationToken) =>
        PublishAsync(appId, comment.ThreadId, new ThreadEvent(Created, comment.ToResponse(viewer: null), null), cancellationToken);

    public ValueTask CommentChangedAsync(Guid appId, Comment comment, CancellationToken cancellationToken) =>
        PublishAsync(appId, comment.ThreadId, new ThreadEvent(Updated, comment.ToResponse(viewer: null), null), cancellationToken);

    public ValueTask CountsChangedAsync(Guid appId, CommentCounts counts, CancellationToken cancellationToken) =>
        PublishAsync(appId, counts.ThreadId, new ThreadEvent(CountsChanged, null, counts.ToResponse(withViewer: false)), cancellationToken);

    private async ValueTask PublishAsync(Guid appId, string threadId, ThreadEvent message, CancellationToken cancellationToken)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(message, CommentsJsonContext.Default.ThreadEvent);
        try
        {
            await hub.PublishAsync(Topic(appId, threadId), message.Type, json, keepHistory: true, cancellationToken);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The write is committed; live listeners missing one event reload when their stream reconnects.
            LogPublishFailed(logger, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Publishing a comments event failed")]
    private static partial void LogPublishFailed(ILogger logger, Exception ex);
}
