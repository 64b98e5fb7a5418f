using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Stoa.Comments.Core;
using Stoa.Foundation.Engine;

namespace Stoa.Comments.Storage;

/// <summary>
/// Caches first pages in the engine, shared by every node. Each thread has a version in the engine; page keys embed it
/// and every write replaces it with a new random one after committing, so invalidation is one SET and old pages simply
/// age out. A read never creates the version: a thread nobody wrote to has none (its pages live under "0"), so reading
/// any number of made-up thread ids leaves nothing behind but pages that expire. The version itself expires
/// a day after the thread's last write, long after every page cached under it.
/// Stampede-safe: on a miss one caller per node loads (single flight) and, across nodes, only the holder of a short
/// lease loads while the others wait briefly for its result. Deeper pages (with a cursor) go straight to the store:
/// keyset pages cost the same at any depth, and their keys would rarely repeat.
/// </summary>
internal sealed class CachingCommentStore(ICommentStore inner, IEngine engine, TimeSpan pageTtl) : ICommentStore
{
    private static readonly TimeSpan s_fillLease = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan s_waitStep = TimeSpan.FromMilliseconds(20);
    private const int WaitSteps = 15;

    /// <summary>
    /// Longer than any page can outlive the write that made it stale (a page TTL plus a fill's 15 s deadline), so when
    /// an idle thread's version expires and it reads as "0" again, nothing cached under "0" is left from before.
    /// </summary>
    private readonly TimeSpan _versionTtl = pageTtl + TimeSpan.FromDays(1);

    private static readonly IReadOnlyDictionary<Guid, ViewerState> s_noViewer = new Dictionary<Guid, ViewerState>();

    private readonly ConcurrentDictionary<string, Lazy<Task<CommentPage>>> _inFlight = new(StringComparer.Ordinal);

    /// <summary>
    /// A first page from the engine, and for a signed-in reader one statement more for their votes and likes on it. On a
    /// miss, a signed-in reader runs the page's own statements with their state read in them (still one statement for a page
    /// without replies) and leaves the page in the engine for the others; anonymous misses load once per node.
    /// </summary>
    public async Task<ViewedPage> ListAsync(Guid appId, ListQuery query, string? viewerId, CancellationToken cancellationToken)
    {
        if (query.Cursor is not null)
        {
            return await inner.ListAsync(appId, query, viewerId, cancellationToken);
        }

        var version = await engine.GetAsync(VersionKey(appId, query.ThreadId), cancellationToken) is { } stored
            ? Encoding.ASCII.GetString(stored)
            : "0";
        var key = EngineKeys.For(appId, "comments", "page", query.ThreadId, version,
            query.Sort.Name(), query.ParentId?.ToString("N") ?? "-", Number(query.Limit), Number(query.Replies), Number(query.Depth));
        if (await ReadAsync(key, cancellationToken) is { } cached)
        {
            var viewer = viewerId is null || cached.Items.Count == 0
                ? s_noViewer
                : await inner.GetViewerStateAsync(appId, viewerId, cached.Ids(), cancellationToken);
            return new ViewedPage(cached, viewer);
        }

        if (viewerId is not null)
        {
            // Read after the version: a write committed before this read moved the version first, so the page stored
            // under the version read above is never older than that version.
            var viewed = await inner.ListAsync(appId, query, viewerId, cancellationToken);
            await WriteAsync(key, viewed.Page, cancellationToken);
            return viewed;
        }

        var flight = _inFlight.GetOrAdd(key, k => new Lazy<Task<CommentPage>>(() => FillAsync(appId, k, query)));
        try
        {
            return new ViewedPage(await flight.Value.WaitAsync(cancellationToken), s_noViewer);
        }
        finally
        {
            _inFlight.TryRemove(new KeyValuePair<string, Lazy<Task<CommentPage>>>(key, flight));
        }
    }

    public Task<ThreadInfo> GetThreadAsync(Guid appId, string threadId, CancellationToken cancellationToken) =>
        inner.GetThreadAsync(appId, threadId, cancellationToken);

    public Task<Comment?> GetAsync(Guid appId, Guid id, CancellationToken cancellationToken) => inner.GetAsync(appId, id, cancellationToken);

    public Task<ViewedComment?> GetAsync(Guid appId, Guid id, string viewerId, CancellationToken cancellationToken) =>
        inner.GetAsync(appId, id, viewerId, cancellationToken);

    public Task<IReadOnlyDictionary<Guid, ViewerState>> GetViewerStateAsync(Guid appId, string userId, IReadOnlyCollection<Guid> ids,
        CancellationToken cancellationToken) => inner.GetViewerStateAsync(appId, userId, ids, cancellationToken);

    /// <summary>
    /// The transaction runs on the inner store; what it wrote is noted on the way, and once it has committed each thread
    /// it wrote to gets a new version (a transaction that wrote nothing, such as a replayed create, changes none).
    /// </summary>
    public async Task<T> InTransactionAsync<T>(Guid appId, Func<ICommentTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        WriteNotes? notes = null;
        var result = await inner.InTransactionAsync(appId, tx =>
        {
            // A retried transaction starts over: only the attempt that committed counts.
            notes = new WriteNotes(tx);
            return work(notes);
        }, cancellationToken);
        foreach (var threadId in notes?.Threads ?? [])
        {
            await InvalidateAsync(appId, threadId);
        }

        return result;
    }

    internal static string VersionKey(Guid appId, string threadId) => EngineKeys.For(appId, "comments", "version", threadId);

    /// <summary>
    /// Loads the page once for everyone waiting on this node. The request that started the load may be cancelled
    /// without cancelling the others, so the load runs on its own deadline.
    /// </summary>
    private async Task<CommentPage> FillAsync(Guid appId, string key, ListQuery query)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        var lease = await engine.TryAcquireAsync(key + ":fill", s_fillLease, deadline.Token);
        if (lease is null)
        {
            // Another node is loading this page: give it a moment, then load anyway rather than wait without bound.
            for (var i = 0; i < WaitSteps; i++)
            {
                await Task.Delay(s_waitStep, deadline.Token);
                if (await ReadAsync(key, deadline.Token) is { } filled)
                {
                    return filled;
                }
            }
        }

        try
        {
            // A caller that missed just before an earlier load on this node wrote the page starts its own flight once
            // that one has ended: the page is in the engine by now, and reading it there spares the store.
            if (lease is not null && await ReadAsync(key, deadline.Token) is { } written)
            {
                return written;
            }

            var page = (await inner.ListAsync(appId, query, viewerId: null, deadline.Token)).Page;
            await WriteAsync(key, page, deadline.Token);
            return page;
        }
        finally
        {
            if (lease is not null)
            {
                await engine.ReleaseAsync(lease, CancellationToken.None);
            }
        }
    }

    private ValueTask WriteAsync(string key, CommentPage page, CancellationToken cancellationToken) =>
        engine.SetAsync(key, JsonSerializer.SerializeToUtf8Bytes(page, CommentsStorageJsonContext.Default.CommentPage), pageTtl, cancellationToken);

    private async Task<CommentPage?> ReadAsync(string key, CancellationToken cancellationToken)
    {
        var bytes = await engine.GetAsync(key, cancellationToken);
        return bytes is null ? null : JsonSerializer.Deserialize(bytes, CommentsStorageJsonContext.Default.CommentPage);
    }

    /// <summary>After the commit: the write is durable whatever happens here, and the page TTL bounds staleness.</summary>
    private async Task InvalidateAsync(Guid appId, string threadId) =>
        await engine.SetAsync(VersionKey(appId, threadId), Encoding.ASCII.GetBytes(Guid.NewGuid().ToString("N")), _versionTtl, CancellationToken.None);

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
