namespace Stoa.Ot;

/// <summary>
/// Which of two concurrent ops wins a tie: when both insert at the same position, the <see cref="Left"/> op's text
/// ends up first. The two sides of one transform pair must differ (the server's op is usually left).
/// </summary>
public enum TransformSide
{
    /// <summary>The op being transformed goes first (ot-text-unicode's <c>'left'</c>).</summary>
    Left = 0,

    /// <summary>The other op goes first (ot-text-unicode's <c>'right'</c>).</summary>
    Right = 1,
}
