namespace Stoa.Comments.Core;

/// <summary><c>Stoa:Comments</c> settings.</summary>
public sealed class CommentsOptions
{
    public const string Section = "Stoa:Comments";

    /// <summary>How long authors may edit a comment after posting it.</summary>
    public TimeSpan EditWindow { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>The deepest level a listing inlines (nesting itself is unlimited in storage).</summary>
    public int MaxDisplayDepth { get; set; } = 8;

    /// <summary>The most replies inlined under one comment.</summary>
    public int MaxInlineReplies { get; set; } = 20;

    /// <summary>How long a comment waits for link cards before it is saved without them.</summary>
    public TimeSpan PreviewTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Cache first pages in the engine (invalidated by a per-thread version on every write).</summary>
    public bool CacheFirstPages { get; set; } = true;

    /// <summary>Upper bound on a cached page's life, should an invalidation be lost with the engine.</summary>
    public TimeSpan PageTtl { get; set; } = TimeSpan.FromSeconds(60);
}
