using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Stoa.Comments.Core;
using Stoa.Foundation.Engine;

namespace Stoa.Comments.Api;

/// <summary>
/// Publishes thread events on the engine's pub/sub (one channel per thread, under the app id), already framed as
/// server-sent events, so that each node's stream endpoint relays the bytes as they are. Events carry no viewer state:
/// they go to everyone watching the thread.
/// </summary>
internal sealed partial class EngineCommentEvents(IPubSub pubSub, ILogger<EngineCommentEvents> logger) : ICommentEvents
{
    public const string Created = "comment.created";
    public const string Updated = "comment.updated";
    public const string CountsChanged = "comment.counts";

    public static string Channel(Guid appId, string threadId) => EngineKeys.For(appId, "comments", "thread", threadId);

    public ValueTask CommentCreatedAsync(Guid appId, Comment comment, CancellationToken cancellationToken) =>
        PublishAsync(appId, comment.ThreadId, new ThreadEvent(Created, comment.ToResponse(viewer: null), null), cancellationToken);

    public ValueTask CommentChangedAsync(Guid appId, Comment comment, CancellationToken cancellationToken) =>
        PublishAsync(appId, comment.ThreadId, new ThreadEvent(Updated, comment.ToResponse(viewer: null), null), cancellationToken);

    public ValueTask CountsChangedAsync(Guid appId, CommentCounts counts, CancellationToken cancellationToken) =>
        PublishAsync(appId, counts.ThreadId, new ThreadEvent(CountsChanged, null, counts.ToResponse(withViewer: false)), cancellationToken);

    private async ValueTask PublishAsync(Guid appId, string threadId, ThreadEvent message, CancellationToken cancellationToken)
    {
        var json = JsonSerializer.Serialize(message, CommentsJsonContext.Default.ThreadEvent);
        var frame = Encoding.UTF8.GetBytes($"event: {message.Type}\ndata: {json}\n\n");
        try
        {
            await pubSub.PublishAsync(Channel(appId, threadId), frame, cancellationToken);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The write is committed; live listeners missing one event refetch, as with any at-most-once delivery.
            LogPublishFailed(logger, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Publishing a comments event failed")]
    private static partial void LogPublishFailed(ILogger logger, Exception ex);
}
