using System.Data.Common;
using Dapper;
using Stoa.Comments.Core;
using Stoa.Comments.Storage.Sql;

namespace Stoa.Comments.Storage;

/// <summary>One write transaction of the comments store: the rows Core reads and changes, one statement each.</summary>
internal sealed class SqlCommentTransaction(DbConnection connection, DbTransaction transaction, Guid appId, CommentsSql sql,
    CancellationToken cancellationToken) : ICommentTransaction
{
    public async Task<Comment?> ReadAsync(Guid id, bool forUpdate) =>
        (await QueryRowAsync<CommentRow>(forUpdate ? CommentsSql.SelectComment + sql.ForUpdate : CommentsSql.SelectComment, new { AppId = appId, Id = id }))
            ?.ToComment();

    public async Task<ViewerState> ReadViewerAsync(Guid commentId, string userId)
    {
        var row = await QueryRowAsync<SingleViewerRow>(CommentsSql.ViewerState, new { AppId = appId, Id = commentId, UserId = userId });
        return new ViewerState((int)(row?.Vote ?? 0), row?.Liked is not null and not 0);
    }

    public async Task<bool> IsThreadLockedAsync(string threadId) =>
        await QueryRowAsync<long>(CommentsSql.SelectThreadLocked, new { AppId = appId, ThreadId = threadId }) != 0;

    public async Task<bool> CountNewCommentAsync(string threadId, DateTimeOffset now) =>
        await QueryRowAsync<long>(CommentsSql.CountCommentInThread, new { AppId = appId, ThreadId = threadId, Now = now }) != 0;

    public Task InsertAsync(Comment comment) => ExecuteAsync(CommentsSql.InsertComment, new
    {
        AppId = appId,
        comment.Id,
        comment.ThreadId,
        ParentId = comment.ParentId ?? Guid.Empty,
        comment.RootId,
        comment.Depth,
        comment.AuthorId,
        comment.Body,
        comment.BodyHtml,
        Links = CommentRow.SerializeLinks(comment.Links),
        comment.CreatedAt,
        comment.Hot,
    });

    public Task CountReplyAsync(Comment parent) => ExecuteAsync(CommentsSql.CountReply, new { AppId = appId, ParentId = parent.Id });

    public Task SaveBodyAsync(Comment comment) => ExecuteAsync(CommentsSql.EditComment, new
    {
        AppId = appId,
        comment.Id,
        Body = comment.Body,
        BodyHtml = comment.BodyHtml,
        Links = CommentRow.SerializeLinks(comment.Links),
        Now = comment.EditedAt,
    });

    public async Task SoftDeleteAsync(Comment deleted)
    {
        await ExecuteAsync(CommentsSql.SoftDeleteComment, new { AppId = appId, deleted.Id, Now = deleted.DeletedAt });
        await ExecuteAsync(CommentsSql.UncountDeletedComment, new { AppId = appId, deleted.ThreadId });
    }

    public Task SetVoteAsync(Comment comment, string userId, int value, DateTimeOffset now) =>
        ExecuteAsync(value == 0 ? CommentsSql.DeleteVote : CommentsSql.UpsertVote,
            new { AppId = appId, comment.Id, UserId = userId, Value = value, Now = now });

    /// <summary>Absolute values computed in Core from the row read (and locked) earlier in the same transaction.</summary>
    public Task SaveCountersAsync(Comment comment) => ExecuteAsync(CommentsSql.SetVoteCounters, new
    {
        AppId = appId,
        comment.Id,
        comment.Upvotes,
        comment.Downvotes,
        comment.Best,
        comment.Hot,
        comment.Controversy,
    });

    public Task SetLikeAsync(Comment comment, string userId, bool liked, DateTimeOffset now) =>
        ExecuteAsync(liked ? CommentsSql.InsertLike : CommentsSql.DeleteLike, new { AppId = appId, comment.Id, UserId = userId, Now = now });

    public Task SaveLikesAsync(Comment comment) => ExecuteAsync(CommentsSql.SetLikes, new { AppId = appId, comment.Id, comment.Likes });

    public async Task<ThreadInfo> SetThreadLockedAsync(string threadId, bool locked, DateTimeOffset now)
    {
        var row = await QueryRowAsync<ThreadRow>(CommentsSql.SetThreadLocked,
            new { AppId = appId, ThreadId = threadId, Locked = locked ? 1 : 0, Now = now });
        return new ThreadInfo(threadId, row!.CommentCount, row.Locked != 0);
    }

    private Task<T?> QueryRowAsync<T>(string statement, object parameters) =>
        connection.QuerySingleOrDefaultAsync<T>(new CommandDefinition(statement, parameters, transaction, cancellationToken: cancellationToken));

    private Task<int> ExecuteAsync(string statement, object parameters) =>
        connection.ExecuteAsync(new CommandDefinition(statement, parameters, transaction, cancellationToken: cancellationToken));
}
