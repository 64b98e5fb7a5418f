namespace Stoa.Comments.Storage;

/// <summary>
/// Counts the SQL statements the comments store sends, one per command. One instance per app (a DI singleton), so that
/// a test reads exactly the statements its own requests caused: the guard against a query per comment (N+1).
/// </summary>
public sealed class CommentCommandCounter
{
    private long _count;

    public long Count => Interlocked.Read(ref _count);

    internal void Increment() => Interlocked.Increment(ref _count);
}
