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

    public async Task<IReadOnlyDictionary<string, ViewerState>> ReadViewersAsync(Guid commentId, IReadOnlyCollection<string> userIds)
    {
        var states = new Dictionary<string, ViewerState>(StringComparer.Ordinal);
        if (userIds.Count == 0)
        {
            return states;
        }

        var parameters = new DynamicParameters(new { AppId = appId, Id = commentId });
        parameters.Add("Users", sql.TextList(userIds));
        var rows = await connection.QueryAsync<UserViewerRow>(new CommandDefinition(sql.ViewersOfComment, parameters, transaction,
            cancellationToken: cancellationToken));
        foreach (var row in rows)
        {
            var state = states.GetValueOrDefault(row.UserId);
            states[row.UserId] = row.Liked != 0 ? state with { Liked = true } : state with { Vote = (int)row.Vote };
        }

        return states;
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

    public async Task SetVotesAsync(Comment comment, IReadOnlyCollection<(string UserId, int Value)> votes, DateTimeOffset now)
    {
        var set = votes.Where(v => v.Value != 0).ToList();
        if (set.Count > 0)
        {
            await ExecuteAsync(sql.UpsertVotes, sql.VoteRows(appId, comment.Id, set, now));
        }

        var cleared = votes.Where(v => v.Value == 0).Select(v => v.UserId).ToList();
        if (cleared.Count > 0)
        {
            await ExecuteAsync(sql.DeleteVotes, Users(comment, cleared));
        }
    }

    public async Task SetLikesAsync(Comment comment, IReadOnlyCollection<(string UserId, bool Liked)> likes, DateTimeOffset now)
    {
        var liked = likes.Where(l => l.Liked).Select(l => l.UserId).ToList();
        if (liked.Count > 0)
        {
            await ExecuteAsync(sql.InsertLikes, sql.LikeRows(appId, comment.Id, liked, now));
        }

        var unliked = likes.Where(l => !l.Liked).Select(l => l.UserId).ToList();
        if (unliked.Count > 0)
        {
            await ExecuteAsync(sql.DeleteLikes, Users(comment, unliked));
        }
    }

    /// <summary>Absolute values computed in Core from the row read (and locked) earlier in the same transaction.</summary>
    public Task SaveCountersAsync(Comment comment) => ExecuteAsync(CommentsSql.SetCounters, new
    {
        AppId = appId,
        comment.Id,
        comment.Upvotes,
        comment.Downvotes,
        comment.Likes,
        comment.Best,
        comment.Hot,
        comment.Controversy,
    });

    public async Task<ThreadInfo> SetThreadLockedAsync(string threadId, bool locked, DateTimeOffset now)
    {
        var row = await QueryRowAsync<ThreadRow>(CommentsSql.SetThreadLocked,
            new { AppId = appId, ThreadId = threadId, Locked = locked ? 1 : 0, Now = now });
        return new ThreadInfo(threadId, row!.CommentCount, row.Locked != 0);
    }

    private DynamicParameters Users(Comment comment, IReadOnlyCollection<string> users)
    {
        var parameters = new DynamicParameters(new { AppId = appId, comment.Id });
        parameters.Add("Users", sql.TextList(users));
        return parameters;
    }

    private Task<T?> QueryRowAsync<T>(string statement, object parameters) =>
        connection.QuerySingleOrDefaultAsync<T>(new CommandDefinition(statement, parameters, transaction, cancellationToken: cancellationToken));

    private Task<int> ExecuteAsync(string statement, object parameters) =>
        connection.ExecuteAsync(new CommandDefinition(statement, parameters, transaction, cancellationToken: cancellationToken));
}
