using System.Data.Common;
using Dapper;
using Stoa.Comments.Core;
using Stoa.Comments.Storage.Sql;
using Stoa.Foundation.Sql;

namespace Stoa.Comments.Storage;

/// <summary>
/// Comments over <see cref="StoaDatabase"/> with Dapper: the reads, and the transactions Core drives
/// (<see cref="SqlCommentTransaction"/>), each one <see cref="StoaDatabase.InTransactionAsync{T}(string, Func{DbConnection, DbTransaction, Task{T}}, CancellationToken)"/>
/// unit, retried whole on 40001 / SQLite BUSY. Its statements count against the module (the tests' N+1 guards).
/// </summary>
internal sealed class SqlCommentStore(StoaDatabase database) : ICommentStore
{
    public const string Module = "comments";

    private readonly CommentsSql _sql = CommentsSql.For(database.Dialect);

    public Task<T> InTransactionAsync<T>(Guid appId, Func<ICommentTransaction, Task<T>> work, CancellationToken cancellationToken) =>
        database.InTransactionAsync(Module,
            (connection, transaction) => work(new SqlCommentTransaction(connection, transaction, appId, _sql, cancellationToken)), cancellationToken);

    public async Task<ThreadInfo> GetThreadAsync(Guid appId, string threadId, CancellationToken cancellationToken)
    {
        var row = await database.ReadAsync(Module, connection => connection.QuerySingleOrDefaultAsync<ThreadRow>(new CommandDefinition(CommentsSql.SelectThread,
            new { AppId = appId, ThreadId = threadId }, cancellationToken: cancellationToken)), cancellationToken);
        return new ThreadInfo(threadId, row?.CommentCount ?? 0, row is { Locked: not 0 });
    }

    public async Task<Comment?> GetAsync(Guid appId, Guid id, CancellationToken cancellationToken)
    {
        var row = await database.ReadAsync(Module, connection => connection.QuerySingleOrDefaultAsync<CommentRow>(new CommandDefinition(CommentsSql.SelectComment,
            new { AppId = appId, Id = id }, cancellationToken: cancellationToken)), cancellationToken);
        return row?.ToComment();
    }

    public async Task<ViewedComment?> GetAsync(Guid appId, Guid id, string viewerId, CancellationToken cancellationToken)
    {
        var row = await database.ReadAsync(Module, connection => connection.QuerySingleOrDefaultAsync<CommentRow>(new CommandDefinition(CommentsSql.SelectViewedComment,
            new { AppId = appId, Id = id, UserId = viewerId }, cancellationToken: cancellationToken)), cancellationToken);
        return row is null ? null : new ViewedComment(row.ToComment(), row.ToViewer());
    }

    public Task<ViewedPage> ListAsync(Guid appId, ListQuery query, string? viewerId, CancellationToken cancellationToken) =>
        database.ReadAsync(Module, connection => ListAsync(connection, appId, query, viewerId, cancellationToken), cancellationToken);

    private async Task<ViewedPage> ListAsync(DbConnection connection, Guid appId, ListQuery query, string? viewerId, CancellationToken cancellationToken)
    {
        var viewer = new Dictionary<Guid, ViewerState>();
        var viewed = viewerId is not null;
        var parameters = ListingParameters(appId, query, viewerId);
        var rows = (await connection.QueryAsync<CommentRow>(new CommandDefinition(_sql.Listing(query.Sort, query.Cursor is not null, viewed),
            parameters, cancellationToken: cancellationToken))).AsList();

        var page = rows.Take(query.Limit).ToList();
        Note(page);
        var items = page.Select(r => r.ToComment()).ToList();
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

            var replyParameters = new DynamicParameters(new { AppId = appId, query.ThreadId, PerParent = query.Replies, UserId = viewerId });
            replyParameters.Add("ParentIds", _sql.IdList(parents));
            var replies = (await connection.QueryAsync<CommentRow>(new CommandDefinition(_sql.Replies(query.Sort, viewed), replyParameters,
                cancellationToken: cancellationToken))).AsList();
            Note(replies);
            expanded += replies.Count;
            level = [];
            foreach (var group in replies.Select(r => r.ToComment()).GroupBy(c => c.ParentId!.Value))
            {
                var ordered = group.Order(CommentOrder.For(query.Sort)).ToList();
                children[group.Key] = ordered;
                level.AddRange(ordered);
            }
        }

        return new ViewedPage(new CommentPage([.. items.Select(c => Node(c, children))], next), viewer);

        void Note(List<CommentRow> rows)
        {
            if (viewed)
            {
                foreach (var row in rows)
                {
                    viewer[row.Id] = row.ToViewer();
                }
            }
        }
    }

    /// <summary>
    /// The listing's parameters. The key keeps the column's type (timestamptz, bigint or double precision): were a
    /// bigint counter sent as a double, PostgreSQL would cast the column and the row comparison would become a filter
    /// over the whole index range instead of where the scan starts.
    /// </summary>
    internal static DynamicParameters ListingParameters(Guid appId, ListQuery query, string? viewerId = null)
    {
        var cursor = query.Cursor;
        var key = cursor is null ? null
            : query.Sort.ByTime() ? (object)new DateTimeOffset(cursor.LongKey, TimeSpan.Zero)
            : query.Sort.ByScore() ? (object)cursor.DoubleKey
            : (object)cursor.LongKey;
        // Named values rather than a template object, so that ExplainTests can read them back to prepare the statement.
        return new DynamicParameters(new Dictionary<string, object?>
        {
            ["AppId"] = appId,
            ["ThreadId"] = query.ThreadId,
            ["ParentId"] = query.ParentId ?? Guid.Empty,
            ["LastId"] = cursor?.LastId ?? Guid.Empty,
            ["Limit"] = query.Limit + 1,
            ["UserId"] = viewerId,
            ["Key"] = key,
        });
    }

    public async Task<IReadOnlyDictionary<Guid, ViewerState>> GetViewerStateAsync(Guid appId, string userId, IReadOnlyCollection<Guid> ids,
        CancellationToken cancellationToken)
    {
        var states = new Dictionary<Guid, ViewerState>();
        if (ids.Count == 0)
        {
            return states;
        }

        // The id list's type is the dialect's (one uuid[] or an expanded list): DynamicParameters looks at the runtime value.
        var parameters = new DynamicParameters(new { AppId = appId, UserId = userId });
        parameters.Add("Ids", _sql.IdList(ids));
        var rows = await database.ReadAsync(Module,
            connection => connection.QueryAsync<ViewerRow>(new CommandDefinition(_sql.ViewerStates, parameters, cancellationToken: cancellationToken)),
            cancellationToken);
        foreach (var row in rows)
        {
            var state = states.GetValueOrDefault(row.CommentId);
            states[row.CommentId] = row.Liked != 0 ? state with { Liked = true } : state with { Vote = (int)row.Vote };
        }

        return states;
    }

    private static CommentNode Node(Comment comment, Dictionary<Guid, List<Comment>> children) =>
        new(comment, children.TryGetValue(comment.Id, out var replies) ? [.. replies.Select(r => Node(r, children))] : []);
}
