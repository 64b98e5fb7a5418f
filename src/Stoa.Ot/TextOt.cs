namespace Stoa.Ot;

/// <summary>
/// The text-unicode OT type: the same semantics and JSON as the <c>ot-text-unicode</c> npm package (ShareDB's
/// <c>text-unicode</c>), checked against data that package generates. Positions and lengths are Unicode code points.
/// </summary>
/// <remarks>
/// <para>Code points, not grapheme clusters: "é" written as e + U+0301 is two code points, and an op may insert or
/// delete between them, exactly as the reference does. Surrogate pairs are never split: every length counts a pair as
/// one, and inserted or deleted text with a lone surrogate is rejected.</para>
/// <para>Every method is pure and thread-safe. Bad input throws <see cref="OtException"/> and nothing else.</para>
/// </remarks>
public static partial class TextOt
{
    /// <summary>
    /// Builds a normalized op from components (drops empty ones, merges neighbours of one kind, drops a trailing skip).
    /// Every <see cref="TextOp"/> is already normalized; this is <see cref="TextOp.Create(IEnumerable{TextOpComponent})"/>.
    /// </summary>
    public static TextOp Normalize(IEnumerable<TextOpComponent> components) => TextOp.Create(components);
}
