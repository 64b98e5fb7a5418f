using System.Data.Common;
using Dapper;
using Stoa.Comments.Core;
using Stoa.Comments.Storage.Sql;
using Stoa.Foundation.Sql;

namespace Stoa.Comments.Storage;

/// <summary>
/// Comments over <see cref="StoaDatabase"/> with Dapper. Every write is one <see cref="StoaDatabase.InTransactionAsync{T}"/>
/// unit (retried whole on 40001 / SQLite BUSY): the vote or like row and the counters change together, and the rules
/// are checked on the rows read inside it.
/// </summary>
internal sealed class SqlCommentStore(StoaDatabase database, CommentCommandCounter counter) : ICommentStore
{
    private readonly CommentsSql _sql = CommentsSql.For(database.Dialect);
    private readonly StoreCommands _commands = new(counter);
    private readonly HotRowGate _gate = new();

    public async Task<ThreadInfo> GetThreadAsync(Guid appId, string threadId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await _commands.QuerySingleOrDefaultAsync<ThreadRow>(connection, CommentsSql.SelectThread,
            new { AppId = appId, ThreadId = threadId }, null, cancellationToken);
        return new ThreadInfo(threadId, row?.CommentCount ?? 0, row is { Locked: not 0 });
    }

    public Task<ThreadInfo> SetLockedAsync(Guid appId, string threadId, bool locked, DateTimeOffset now, CancellationToken cancellationToken) =>
        database.InTransactionAsync(async (connection, transaction) =>
        {
            var row = await _commands.QuerySingleOrDefaultAsync<ThreadRow>(connection, CommentsSql.SetThreadLocked,
                new { AppId = appId, ThreadId = threadId, Locked = locked ? 1 : 0, Now = now }, transaction, cancellationToken);
            return new ThreadInfo(threadId, row!.CommentCount, row.Locked != 0);
        }, cancellationToken);

    public async Task<Comment?> GetAsync(Guid appId, Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await ReadAsync(connection, null, appId, id, forUpdate: false, cancellationToken);
    }

    public async Task<CommentPage> ListAsync(Guid appId, ListQuery query, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await _commands.QueryAsync<CommentRow>(connection, _sql.Listing(query.Sort, query.Cursor is not null),
            ListingParameters(appId, query), null, cancellationToken);

        var items = rows.Take(query.Limit).Select(r => r.ToComment()).ToList();
        var next = rows.Count > query.Limit ? PageCursor.After(query.Sort, query.ParentId, items[^1]) : null;

        // One statement per level of inlined replies, whatever the number of comments on the page. Each level can
        // multiply the rows by the replies per comment, so expansion stops at the listing's row budget: parents past
        // it keep their replyCount, and a client pages into them with parentId.
        var children = new Dictionary<Guid, List<Comment>>();
        var level = items;
        var expanded = items.Count;
        for (var depth = 1; depth <= query.Depth && query.Replies > 0; depth++)
        {
            var budget = query.MaxRows - expanded;
            var parents = level.Where(c => c.ReplyCount > 0).Select(c => c.Id).Take(budget / query.Replies).ToList();
            if (parents.Count == 0)
            {
                break;
            }

            var parameters = new DynamicParameters(new { AppId = appId, query.ThreadId, PerParent = query.Replies });
            parameters.Add("ParentIds", _sql.IdList(parents));
            var replies = await _commands.QueryAsync<CommentRow>(connection, _sql.Replies(query.Sort), parameters, null, cancellationToken);
            expanded += replies.Count;
            level = [];
            foreach (var group in replies.Select(r => r.ToComment()).GroupBy(c => c.ParentId!.Value))
            {
                var ordered = group.Order(CommentOrder.For(query.Sort)).ToList();
                children[group.Key] = ordered;
                level.AddRange(ordered);
            }
        }

        return new CommentPage([.. items.Select(c => Node(c, children))], next);
    }

    /// <summary>
    /// The listing's parameters. The key keeps the column's type (timestamptz, bigint or double precision): were a
    /// bigint counter sent as a double, PostgreSQL would cast the column and the row comparison would become a filter
    /// over the whole index range instead of where the scan starts.
    /// </summary>
    internal static object ListingParameters(Guid appId, ListQuery query)
    {
        var cursor = query.Cursor;
        var key = cursor is null ? null
            : query.Sort.ByTime() ? (object)new DateTimeOffset(cursor.LongKey, TimeSpan.Zero)
            : query.Sort.ByScore() ? (object)cursor.DoubleKey
            : (object)cursor.LongKey;
        var parameters = new DynamicParameters(new
        {
            AppId = appId,
            query.ThreadId,
            ParentId = query.ParentId ?? Guid.Empty,
            LastId = cursor?.LastId ?? Guid.Empty,
            Limit = query.Limit + 1,
        });
        parameters.Add("Key", key);
        return parameters;
    }

    public async Task<IReadOnlyDictionary<Guid, ViewerState>> GetViewerStateAsync(Guid appId, string userId, IReadOnlyCollection<Guid> ids,
        CancellationToken cancellationToken)
    {
        var states = new Dictionary<Guid, ViewerState>();
        if (ids.Count == 0)
        {
            return states;
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        // The id list's type is the dialect's (one uuid[] or an expanded list): DynamicParameters looks at the runtime value.
        var parameters = new DynamicParameters(new { AppId = appId, UserId = userId });
        parameters.Add("Ids", _sql.IdList(ids));
        var rows = await _commands.QueryAsync<ViewerRow>(connection, _sql.ViewerStates, parameters, null, cancellationToken);
        foreach (var row in rows)
        {
            var state = states.GetValueOrDefault(row.CommentId);
            states[row.CommentId] = row.Liked != 0 ? state with { Liked = true } : state with { Vote = (int)row.Vote };
        }

        return states;
    }

    public Task<CreatedComment> CreateAsync(Guid appId, NewComment comment, CancellationToken cancellationToken) =>
        database.InTransactionAsync(async (connection, transaction) =>
        {
            // A keyed create sent again finds its comment. Two attempts racing both see none; the loser's insert
            // conflicts (SQLite serializes writers; PostgreSQL reports 40001) and its retry finds the winner's row.
            if (comment.Keyed && await ReadAsync(connection, transaction, appId, comment.Id, forUpdate: false, cancellationToken) is { } existing)
            {
                return existing.ThreadId == comment.ThreadId && existing.ParentId == comment.ParentId
                    ? new CreatedComment(existing, Replayed: true)
                    : throw CommentErrors.KeyReused();
            }

            var locked = await _commands.QuerySingleOrDefaultAsync<long>(connection, CommentsSql.CountCommentInThread,
                new { AppId = appId, comment.ThreadId, Now = comment.CreatedAt }, transaction, cancellationToken);
            if (locked != 0)
            {
                throw CommentErrors.Locked();
            }

            Comment? parent = null;
            if (comment.ParentId is { } parentId)
            {
                parent = await ReadAsync(connection, transaction, appId, parentId, forUpdate: false, cancellationToken);
                CommentRules.EnsureCanReply(parent, comment.ThreadId);
            }

            var created = new Comment
            {
                Id = comment.Id,
                ThreadId = comment.ThreadId,
                ParentId = comment.ParentId,
                RootId = parent?.RootId ?? comment.Id,
                Depth = parent is null ? 0 : parent.Depth + 1,
                AuthorId = comment.AuthorId,
                Body = comment.Body,
                BodyHtml = comment.BodyHtml,
                Links = comment.Links,
                CreatedAt = comment.CreatedAt,
                Hot = Scoring.Hot(0, 0, comment.CreatedAt),
            };
            await _commands.ExecuteAsync(connection, CommentsSql.InsertComment, new
            {
                AppId = appId,
                created.Id,
                created.ThreadId,
                ParentId = created.ParentId ?? Guid.Empty,
                created.RootId,
                created.Depth,
                created.AuthorId,
                created.Body,
                created.BodyHtml,
                Links = CommentRow.SerializeLinks(created.Links),
                created.CreatedAt,
                created.Hot,
            }, transaction, cancellationToken);
            if (parent is null)
            {
                return new CreatedComment(created, Replayed: false);
            }

            // The parent was read in this transaction: a concurrent change to it aborts one of the two (SERIALIZABLE,
            // or SQLite's single writer), so its counters plus this reply are the committed ones.
            await _commands.ExecuteAsync(connection, CommentsSql.CountReply, new { AppId = appId, ParentId = parent.Id }, transaction, cancellationToken);
            var parentCounts = Counts(parent, viewer: default) with { ReplyCount = parent.ReplyCount + 1 };
            return new CreatedComment(created, Replayed: false, parentCounts);
        }, cancellationToken);

    public Task<Comment> EditAsync(Guid appId, Guid id, string userId, RenderedBody body, DateTimeOffset now, TimeSpan window,
        CancellationToken cancellationToken) =>
        database.InTransactionAsync(async (connection, transaction) =>
        {
            var comment = await ReadAsync(connection, transaction, appId, id, forUpdate: true, cancellationToken) ?? throw CommentErrors.NotFound();
            CommentRules.EnsureCanEdit(comment, userId, now, window);
            CommentRules.EnsureUnlocked(await IsLockedAsync(connection, transaction, appId, comment.ThreadId, cancellationToken));
            await _commands.ExecuteAsync(connection, CommentsSql.EditComment, new
            {
                AppId = appId,
                Id = id,
                Body = body.Markdown,
                BodyHtml = body.Html,
                Links = CommentRow.SerializeLinks(body.Links),
                Now = now,
            }, transaction, cancellationToken);
            return comment with { Body = body.Markdown, BodyHtml = body.Html, Links = body.Links, EditedAt = now };
        }, cancellationToken);

    public Task<Comment> DeleteAsync(Guid appId, Guid id, string? userId, DateTimeOffset now, CancellationToken cancellationToken) =>
        database.InTransactionAsync(async (connection, transaction) =>
        {
            var comment = await ReadAsync(connection, transaction, appId, id, forUpdate: true, cancellationToken) ?? throw CommentErrors.NotFound();
            CommentRules.EnsureCanDelete(comment, userId);
            if (comment.IsDeleted)
            {
                return comment;
            }

            // Soft: the row keeps its place in the tree (parent pointer, replies, counters), only the body goes.
            await _commands.ExecuteAsync(connection, CommentsSql.SoftDeleteComment, new { AppId = appId, Id = id, Now = now }, transaction, cancellationToken);
            await _commands.ExecuteAsync(connection, CommentsSql.UncountDeletedComment, new { AppId = appId, comment.ThreadId }, transaction, cancellationToken);
            return comment with { Body = "", BodyHtml = "", Links = [], DeletedAt = now };
        }, cancellationToken);

    public Task<CommentCounts> VoteAsync(Guid appId, Guid id, string userId, int value, DateTimeOffset now, CancellationToken cancellationToken) =>
        _gate.RunAsync(appId, id, () => database.InTransactionAsync(async (connection, transaction) =>
        {
            var comment = await ReadAsync(connection, transaction, appId, id, forUpdate: true, cancellationToken) ?? throw CommentErrors.NotFound();
            CommentRules.EnsureCanVote(comment, userId);
            CommentRules.EnsureUnlocked(await IsLockedAsync(connection, transaction, appId, comment.ThreadId, cancellationToken));
            var viewer = await ReadViewerAsync(connection, transaction, appId, id, userId, cancellationToken);
            if (viewer.Vote == value)
            {
                return Counts(comment, viewer);
            }

            var parameters = new { AppId = appId, Id = id, UserId = userId, Value = value, Now = now };
            await _commands.ExecuteAsync(connection, value == 0 ? CommentsSql.DeleteVote : CommentsSql.UpsertVote, parameters, transaction, cancellationToken);
            var (up, down) = CommentRules.VoteDelta(viewer.Vote, value);
            var updated = comment with { Upvotes = comment.Upvotes + up, Downvotes = comment.Downvotes + down };
            await _commands.ExecuteAsync(connection, CommentsSql.SetVoteCounters, new
            {
                AppId = appId,
                Id = id,
                updated.Upvotes,
                updated.Downvotes,
                Best = Scoring.Wilson(updated.Upvotes, updated.Downvotes),
                Hot = Scoring.Hot(updated.Upvotes, updated.Downvotes, comment.CreatedAt),
                Controversy = Scoring.Controversy(updated.Upvotes, updated.Downvotes),
            }, transaction, cancellationToken);
            return Counts(updated, viewer with { Vote = value });
        }, cancellationToken), cancellationToken);

    public Task<CommentCounts> SetLikeAsync(Guid appId, Guid id, string userId, bool liked, DateTimeOffset now, CancellationToken cancellationToken) =>
        _gate.RunAsync(appId, id, () => database.InTransactionAsync(async (connection, transaction) =>
        {
            var comment = await ReadAsync(connection, transaction, appId, id, forUpdate: true, cancellationToken) ?? throw CommentErrors.NotFound();
            CommentRules.EnsureCanLike(comment);
            CommentRules.EnsureUnlocked(await IsLockedAsync(connection, transaction, appId, comment.ThreadId, cancellationToken));
            var viewer = await ReadViewerAsync(connection, transaction, appId, id, userId, cancellationToken);
            if (viewer.Liked == liked)
            {
                return Counts(comment, viewer);
            }

            var parameters = new { AppId = appId, Id = id, UserId = userId, Now = now };
            await _commands.ExecuteAsync(connection, liked ? CommentsSql.InsertLike : CommentsSql.DeleteLike, parameters, transaction, cancellationToken);
            var updated = comment with { Likes = comment.Likes + (liked ? 1 : -1) };
            await _commands.ExecuteAsync(connection, CommentsSql.SetLikes, new { AppId = appId, Id = id, updated.Likes }, transaction, cancellationToken);
            return Counts(updated, viewer with { Liked = liked });
        }, cancellationToken), cancellationToken);

    private async Task<Comment?> ReadAsync(DbConnection connection, DbTransaction? transaction, Guid appId, Guid id, bool forUpdate,
        CancellationToken cancellationToken)
    {
        var sql = forUpdate ? CommentsSql.SelectComment + _sql.ForUpdate : CommentsSql.SelectComment;
        var row = await _commands.QuerySingleOrDefaultAsync<CommentRow>(connection, sql, new { AppId = appId, Id = id }, transaction, cancellationToken);
        return row?.ToComment();
    }

    private async Task<bool> IsLockedAsync(DbConnection connection, DbTransaction transaction, Guid appId, string threadId,
        CancellationToken cancellationToken) =>
        await _commands.QuerySingleOrDefaultAsync<long>(connection, CommentsSql.SelectThreadLocked,
            new { AppId = appId, ThreadId = threadId }, transaction, cancellationToken) != 0;

    private async Task<ViewerState> ReadViewerAsync(DbConnection connection, DbTransaction transaction, Guid appId, Guid id, string userId,
        CancellationToken cancellationToken)
    {
        var row = await _commands.QuerySingleOrDefaultAsync<SingleViewerRow>(connection, CommentsSql.ViewerState,
            new { AppId = appId, Id = id, UserId = userId }, transaction, cancellationToken);
        return new ViewerState((int)(row?.Vote ?? 0), row?.Liked is not null and not 0);
    }

    private static CommentCounts Counts(Comment comment, ViewerState viewer) =>
        new(comment.Id, comment.ThreadId, comment.Upvotes, comment.Downvotes, comment.Likes, comment.ReplyCount, viewer.Vote, viewer.Liked);

    private static CommentNode Node(Comment comment, Dictionary<Guid, List<Comment>> children) =>
        new(comment, children.TryGetValue(comment.Id, out var replies) ? [.. replies.Select(r => Node(r, children))] : []);
}
