using Stoa.Comments.Core;
using Stoa.Foundation.Errors;

namespace Stoa.Comments.Api;

/// <summary>Checks of path, query and body fields; every failure becomes one 400 <c>validation_failed</c>.</summary>
internal static class RequestValidation
{
    public const int MaxThreadIdLength = 128;

    public static void ThreadId(Validation validation, string threadId) => validation.PathId(threadId, "threadId", MaxThreadIdLength);

    public static void ThrowIfInvalidThreadId(string threadId)
    {
        var validation = new Validation();
        ThreadId(validation, threadId);
        validation.ThrowIfInvalid();
    }

    /// <summary>Present and not blank; the length limit is its own error (<c>body_too_long</c>), checked by the service.</summary>
    public static string Body(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            throw Validation.Failed("body", "is required");
        }

        return body;
    }

    public static int Vote(int? value) => value is -1 or 0 or 1 ? value.Value : throw Validation.Failed("value", "must be 1, -1 or 0");

    public static ListQuery ListQuery(string threadId, string? sort, string? parentId, string? cursor, int? limit, int? replies,
        int? depth, CommentsOptions options)
    {
        var validation = new Validation();
        ThreadId(validation, threadId);
        if (!CommentSorts.TryParse(sort, out var order))
        {
            validation.Add("sort", "must be one of new, old, top, replies, best, hot, controversial");
        }

        Guid? parent = null;
        if (!string.IsNullOrEmpty(parentId))
        {
            if (Guid.TryParse(parentId, out var id))
            {
                parent = id;
            }
            else
            {
                validation.Add("parentId", "must be a comment id");
            }
        }

        var pageSize = Integer(validation, "limit", limit, 25, 1, 100);
        var perComment = Integer(validation, "replies", replies, 0, 0, options.MaxInlineReplies);
        var levels = Integer(validation, "depth", depth, perComment > 0 ? 1 : 0, 0, options.MaxDisplayDepth);
        if (validation.IsValid && (long)pageSize * perComment * levels > options.MaxListingRows)
        {
            validation.Add("replies", $"limit × replies × depth must be at most {options.MaxListingRows} (it is {(long)pageSize * perComment * levels})");
        }

        PageCursor? after = null;
        if (!string.IsNullOrEmpty(cursor) && validation.IsValid && !CursorCodec.TryDecode(cursor, order, parent, out after))
        {
            validation.Add("cursor", "is not a cursor of this listing");
        }

        validation.ThrowIfInvalid();
        return new ListQuery(threadId, order, parent, after, pageSize, perComment, levels) { MaxRows = options.MaxListingRows };
    }

    private static int Integer(Validation validation, string field, int? given, int fallback, int min, int max)
    {
        if (given is not { } value)
        {
            return fallback;
        }

        if (value < min || value > max)
        {
            validation.Add(field, $"must be an integer from {min} to {max}");
            return fallback;
        }

        return value;
    }
}
