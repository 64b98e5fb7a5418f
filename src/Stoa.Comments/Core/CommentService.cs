using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Stoa.Foundation.Telemetry;

namespace Stoa.Comments.Core;

/// <summary>
/// The use cases: check what can be checked before any work, render and unfurl bodies, run each write as one store
/// transaction (<see cref="CommentWrites"/>, where the rules are checked against the rows read inside it), and announce
/// changes once they are committed.
/// </summary>
internal sealed partial class CommentService(
    ICommentStore store,
    ILinkPreviewer previewer,
    ICommentEvents events,
    TimeProvider time,
    IOptions<CommentsOptions> options,
    ILogger<CommentService> logger,
    [FromKeyedServices("comments")] ModuleTelemetry telemetry)
{
    /// <summary>A batch's transaction, retries included; as long as a single write may take (the store's command timeout).</summary>
    private static readonly TimeSpan s_counterBatchTimeout = TimeSpan.FromSeconds(15);

    private readonly CommentsOptions _options = options.Value;
    private readonly CounterQueue _counters = new((appId, id, changes) => CommitCountersAsync(store, events, time, telemetry, appId, id, changes));

    public CommentsOptions Options => _options;

    public Task<ThreadInfo> GetThreadAsync(Guid appId, string threadId, CancellationToken cancellationToken) =>
        store.GetThreadAsync(appId, threadId, cancellationToken);

    public Task<ThreadInfo> SetLockedAsync(Guid appId, string threadId, bool locked, CancellationToken cancellationToken)
    {
        var now = Now();
        return store.InTransactionAsync(appId, tx => tx.SetThreadLockedAsync(threadId, locked, now), cancellationToken);
    }

    public async Task<(Comment Comment, ViewerState Viewer)> GetAsync(Guid appId, Guid id, string? userId, CancellationToken cancellationToken)
    {
        if (userId is null)
        {
            return (await store.GetAsync(appId, id, cancellationToken) ?? throw CommentErrors.NotFound(), default);
        }

        var viewed = await store.GetAsync(appId, id, userId, cancellationToken) ?? throw CommentErrors.NotFound();
        return (viewed.Comment, viewed.Viewer);
    }

    /// <summary>A page, plus the caller's votes and likes on everything in it, read by the page's own statements.</summary>
    public Task<ViewedPage> ListAsync(Guid appId, ListQuery query, string? userId, CancellationToken cancellationToken) =>
        store.ListAsync(appId, query, userId, cancellationToken);

    /// <param name="idempotencyKey">The client's Idempotency-Key, if any: sending the same create again returns the
    /// comment the first one made (<see cref="CreatedComment.Replayed"/>) instead of a second comment.</param>
    public async Task<CreatedComment> CreateAsync(Guid appId, string userId, string threadId, string body, Guid? parentId,
        string? idempotencyKey, CancellationToken cancellationToken)
    {
        // The use case as one span: its reads, the unfurling of links, each transaction attempt and the announcement.
        using var activity = telemetry.StartActivity("create");
        activity?.SetTag("stoa.comments.reply", parentId is not null);
        if (idempotencyKey is not null && !CommentIds.IsValidKey(idempotencyKey))
        {
            throw CommentErrors.BadIdempotencyKey();
        }

        var id = idempotencyKey is null ? Guid.NewGuid() : CommentIds.Keyed(appId, userId, idempotencyKey);
        RenderedBody rendered;
        if (idempotencyKey is not null && await store.GetAsync(appId, id, cancellationToken) is not null)
        {
            // A create sent again: the store answers with the first one's comment (or refuses a reused key) and
            // inserts nothing, so its links are not fetched a second time.
            rendered = new RenderedBody(body, "", []);
        }
        else
        {
            // The checks the store repeats in its transaction, made first here too: a comment that will be refused
            // (locked thread, missing parent) must not make the node fetch the pages it links to.
            CheckLength(body);
            CommentRules.EnsureUnlocked((await store.GetThreadAsync(appId, threadId, cancellationToken)).Locked);
            if (parentId is { } parent)
            {
                CommentRules.EnsureCanReply(await store.GetAsync(appId, parent, cancellationToken), threadId);
            }

            rendered = await RenderAsync(appId, body, cancellationToken);
        }

        var comment = new NewComment(id, threadId, parentId, userId, rendered.Markdown, rendered.Html, rendered.Links, Now(),
            Keyed: idempotencyKey is not null);
        var created = await store.InTransactionAsync(appId, tx => CommentWrites.CreateAsync(tx, comment), cancellationToken);
        activity?.SetTag("stoa.comments.replayed", created.Replayed);
        activity?.SetTag("stoa.comments.links", rendered.Links.Count);
        if (!created.Replayed)
        {
            await events.CommentCreatedAsync(appId, created.Comment, CancellationToken.None);
            if (created.ParentCounts is { } parentCounts)
            {
                await events.CountsChangedAsync(appId, parentCounts, CancellationToken.None);
            }
        }

        return created;
    }

    public async Task<Comment> EditAsync(Guid appId, Guid id, string userId, string body, CancellationToken cancellationToken)
    {
        // Someone else's comment, or one that does not exist, costs no link fetch: the rules run before rendering
        // (and again in the store's transaction, against the row as it is then).
        CheckLength(body);
        var current = await store.GetAsync(appId, id, cancellationToken) ?? throw CommentErrors.NotFound();
        CommentRules.EnsureCanEdit(current, userId, Now(), _options.EditWindow);
        CommentRules.EnsureUnlocked((await store.GetThreadAsync(appId, current.ThreadId, cancellationToken)).Locked);
        var rendered = await RenderAsync(appId, body, cancellationToken);
        var now = Now();
        var edited = await store.InTransactionAsync(appId,
            tx => CommentWrites.EditAsync(tx, id, userId, rendered, now, _options.EditWindow), cancellationToken);
        await events.CommentChangedAsync(appId, edited, CancellationToken.None);
        return edited;
    }

    public async Task DeleteAsync(Guid appId, Guid id, string? userId, CancellationToken cancellationToken)
    {
        var now = Now();
        var deleted = await store.InTransactionAsync(appId, tx => CommentWrites.DeleteAsync(tx, id, userId, now), cancellationToken);
        await events.CommentChangedAsync(appId, deleted, CancellationToken.None);
    }

    /// <summary>Queued with the other votes and likes on the comment and committed with them (<see cref="CounterQueue"/>).</summary>
    public Task<CommentCounts> VoteAsync(Guid appId, Guid id, string userId, int value, CancellationToken cancellationToken) =>
        _counters.SubmitAsync(appId, id, CounterChange.Vote(userId, value), cancellationToken);

    /// <inheritdoc cref="VoteAsync"/>
    public Task<CommentCounts> SetLikeAsync(Guid appId, Guid id, string userId, bool liked, CancellationToken cancellationToken) =>
        _counters.SubmitAsync(appId, id, CounterChange.Like(userId, liked), cancellationToken);

    /// <summary>
    /// One batch of a comment's votes and likes as one transaction, then one event with the counts it left (live
    /// listeners want the latest counts, not each step). The batch serves many requests, so it runs on its own deadline.
    /// </summary>
    private static async Task<IReadOnlyList<CounterOutcome>> CommitCountersAsync(ICommentStore store, ICommentEvents events, TimeProvider time,
        ModuleTelemetry telemetry, Guid appId, Guid id, IReadOnlyList<CounterChange> changes)
    {
        // In the trace of the request that runs the batch: its transaction attempts (retries included) are under it.
        using var activity = telemetry.StartActivity("counters");
        activity?.SetTag("stoa.comments.batch.size", changes.Count);
        using var deadline = new CancellationTokenSource(s_counterBatchTimeout);
        var now = Truncate(time.GetUtcNow());
        var batch = await store.InTransactionAsync(appId, tx => CommentWrites.ApplyCountersAsync(tx, id, changes, now), deadline.Token);
        if (batch.Changed is { } counts)
        {
            await events.CountsChangedAsync(appId, counts, CancellationToken.None);
        }

        return batch.Outcomes;
    }

    /// <summary>
    /// Characters are code points, as the docs and the OpenAPI document's <c>maxLength</c> count them: an emoji is one,
    /// not the two UTF-16 units a string's Length gives.
    /// </summary>
    private static void CheckLength(string markdown)
    {
        if (markdown.Length > CommentRules.MaxBodyLength && markdown.EnumerateRunes().Count() > CommentRules.MaxBodyLength)
        {
            throw CommentErrors.TooLong(CommentRules.MaxBodyLength);
        }
    }

    private async Task<RenderedBody> RenderAsync(Guid appId, string markdown, CancellationToken cancellationToken)
    {
        var (html, urls) = CommentBodyRenderer.Render(markdown);
        IReadOnlyList<LinkCardSummary> links = [];
        if (urls.Count > 0)
        {
            // Best effort: a slow or failing previewer costs the cards, never the comment.
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(_options.PreviewTimeout);
            try
            {
                links = await previewer.PreviewAsync(urls, appId, deadline.Token);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is not OutOfMemoryException)
            {
                LogPreviewFailed(logger, ex);
            }
        }

        return new RenderedBody(markdown, html, links);
    }

    private DateTimeOffset Now() => Truncate(time.GetUtcNow());

    // Microseconds: PostgreSQL's timestamp precision, so that the time read back equals the one in a cursor.
    private static DateTimeOffset Truncate(DateTimeOffset now) => new(now.UtcTicks - (now.UtcTicks % 10), TimeSpan.Zero);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Link previews failed; the comment is saved without cards")]
    private static partial void LogPreviewFailed(ILogger logger, Exception ex);
}
