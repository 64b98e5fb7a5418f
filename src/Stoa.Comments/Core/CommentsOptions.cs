namespace Stoa.Comments.Core;

/// <summary><c>Stoa:Comments</c> settings.</summary>
internal sealed class CommentsOptions
{
    public const string Section = "Stoa:Comments";

    /// <summary>How long authors may edit a comment after posting it.</summary>
    public TimeSpan EditWindow { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>The deepest level a listing inlines (nesting itself is unlimited in storage).</summary>
    public int MaxDisplayDepth { get; set; } = 8;

    /// <summary>The most replies inlined under one comment.</summary>
    public int MaxInlineReplies { get; set; } = 20;

    /// <summary>
    /// The most comments one listing may expand: a request must keep <c>limit × replies × depth</c> within it, and the
    /// store stops inlining replies once a page holds that many (a level multiplies by up to <c>replies</c>).
    /// </summary>
    public int MaxListingRows { get; set; } = 2000;

    /// <summary>How long a comment waits for link cards before it is saved without them.</summary>
    public TimeSpan PreviewTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Cache first pages in the engine (invalidated by a per-thread version on every write).</summary>
    public bool CacheFirstPages { get; set; } = true;

    /// <summary>Upper bound on a cached page's life, should an invalidation be lost with the engine.</summary>
    public TimeSpan PageTtl { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Every problem with the settings, each naming its key.</summary>
    public List<string> Validate()
    {
        var errors = new List<string>();
        Check(errors, nameof(EditWindow), EditWindow, TimeSpan.Zero, TimeSpan.FromDays(3650));
        Check(errors, nameof(PreviewTimeout), PreviewTimeout, TimeSpan.Zero, TimeSpan.FromMinutes(1));
        Check(errors, nameof(PageTtl), PageTtl, TimeSpan.FromSeconds(1), TimeSpan.FromDays(1));

        // A listing's default depth is 1, so 0 would make every listing that inlines replies invalid.
        if (MaxDisplayDepth is < 1 or > 100)
        {
            errors.Add($"{Section}:{nameof(MaxDisplayDepth)}: must be between 1 and 100 (it is {MaxDisplayDepth}).");
        }

        if (MaxListingRows is < 100 or > 10_000)
        {
            errors.Add($"{Section}:{nameof(MaxListingRows)}: must be between 100 and 10000 (it is {MaxListingRows}).");
        }

        if (MaxInlineReplies is < 0 or > 1000)
        {
            errors.Add($"{Section}:{nameof(MaxInlineReplies)}: must be between 0 and 1000 (it is {MaxInlineReplies}).");
        }

        return errors;
    }

    private static void Check(List<string> errors, string key, TimeSpan value, TimeSpan min, TimeSpan max)
    {
        if (value < min || value > max)
        {
            errors.Add($"{Section}:{key}: must be between {min:c} and {max:c} (it is {value:c}).");
        }
    }
}
