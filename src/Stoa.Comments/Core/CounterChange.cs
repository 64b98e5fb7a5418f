namespace Stoa.Comments.Core;

/// <summary>What a counter change sets: the user's vote (-1, 0, 1) or like (0, 1).</summary>
internal enum CounterKind
{
    Vote,
    Like,
}

/// <summary>One user's vote or like on a comment, as it waits in <see cref="CounterQueue"/> for its batch.</summary>
internal readonly record struct CounterChange(string UserId, CounterKind Kind, int Value)
{
    public static CounterChange Vote(string userId, int value) => new(userId, CounterKind.Vote, value);

    public static CounterChange Like(string userId, bool liked) => new(userId, CounterKind.Like, liked ? 1 : 0);
}

/// <summary>
/// How one change of a batch ended: the counts right after it (and the user's own state), or the rule it broke.
/// A refused change leaves the others of its batch alone.
/// </summary>
internal readonly record struct CounterOutcome(CommentCounts? Counts, Exception? Refusal)
{
    public static CounterOutcome Applied(CommentCounts counts) => new(counts, null);

    public static CounterOutcome Refused(Exception refusal) => new(null, refusal);
}

/// <summary>
/// A committed batch of counter changes: each change's outcome in the batch's order, and the comment's counts after the
/// batch when it changed any (null when every change restated what the users had, or was refused).
/// </summary>
internal sealed record CounterBatch(IReadOnlyList<CounterOutcome> Outcomes, CommentCounts? Changed);
