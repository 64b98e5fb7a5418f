using System.Text.Json;
using Stoa.Comments.Core;

namespace Stoa.Comments.Storage;

/// <summary>A <c>comments</c> row as Dapper reads it on either dialect (integers widened to long).</summary>
internal sealed class CommentRow
{
    public Guid Id { get; set; }

    public string ThreadId { get; set; } = "";

    /// <summary>The nil UUID for a top-level comment (see the migration).</summary>
    public Guid ParentId { get; set; }

    public Guid RootId { get; set; }

    public long Depth { get; set; }

    public string AuthorId { get; set; } = "";

    public string Body { get; set; } = "";

    public string BodyHtml { get; set; } = "";

    public string? Links { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? EditedAt { get; set; }

    public DateTimeOffset? DeletedAt { get; set; }

    public long Upvotes { get; set; }

    public long Downvotes { get; set; }

    public long Likes { get; set; }

    public long ReplyCount { get; set; }

    public double Best { get; set; }

    public double Hot { get; set; }

    public double Controversy { get; set; }

    /// <summary>The viewer's vote, when the statement reads it (<c>CommentsSql.ViewerColumns</c>); null when none.</summary>
    public long? MyVote { get; set; }

    /// <summary>1 when the viewer likes the comment, null when not (statements that read the viewer's state).</summary>
    public long? MyLike { get; set; }

    public ViewerState ToViewer() => new((int)(MyVote ?? 0), MyLike is not (null or 0));

    public Comment ToComment() => new()
    {
        Id = Id,
        ThreadId = ThreadId,
        ParentId = ParentId == Guid.Empty ? null : ParentId,
        RootId = RootId,
        Depth = (int)Depth,
        AuthorId = AuthorId,
        Body = Body,
        BodyHtml = BodyHtml,
        Links = Links is null ? [] : JsonSerializer.Deserialize(Links, CommentsStorageJsonContext.Default.LinkCardSummaryArray) ?? [],
        CreatedAt = CreatedAt,
        EditedAt = EditedAt,
        DeletedAt = DeletedAt,
        Upvotes = Upvotes,
        Downvotes = Downvotes,
        Likes = Likes,
        ReplyCount = ReplyCount,
        Best = Best,
        Hot = Hot,
        Controversy = Controversy,
    };

    public static string? SerializeLinks(IReadOnlyList<LinkCardSummary> links) =>
        links.Count == 0 ? null : JsonSerializer.Serialize([.. links], CommentsStorageJsonContext.Default.LinkCardSummaryArray);
}

/// <summary>The caller's vote and like on one comment, as one row of the viewer-state query.</summary>
internal sealed class ViewerRow
{
    public Guid CommentId { get; set; }

    public long Vote { get; set; }

    public long Liked { get; set; }
}

/// <summary>One user's vote or like on one comment, as one row of the batch's viewer query.</summary>
internal sealed class UserViewerRow
{
    public string UserId { get; set; } = "";

    public long Vote { get; set; }

    public long Liked { get; set; }
}

/// <summary>A thread row.</summary>
internal sealed class ThreadRow
{
    public long CommentCount { get; set; }

    public long Locked { get; set; }
}
