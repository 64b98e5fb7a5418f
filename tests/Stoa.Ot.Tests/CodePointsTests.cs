namespace Stoa.Ot.Tests;

public sealed class CodePointsTests
{
    [Theory]
    [InlineData("", 0)]
    [InlineData("abc", 3)]
    [InlineData("\U0001F483123", 4)] // unicount's own test: a surrogate pair is one code point
    [InlineData("\uFB00123", 4)]
    [InlineData("e\u0301", 2)] // a combining mark is a code point of its own
    [InlineData("\U0001F469\u200D\U0001F469\u200D\U0001F467", 5)]
    [InlineData("\U0001F1EB\U0001F1F7", 2)]
    public void Count_counts_code_points(string text, int expected)
    {
        CodePoints.Count(text).ShouldBe(expected);
        CodePoints.CountIfValid(text).ShouldBe(expected);
    }

    [Fact]
    public void CountIfValid_rejects_lone_surrogates()
    {
        // Built in code: theory data would not carry lone surrogates intact through serialization.
        foreach (string text in new[] { "\uD83D", "a\uDE00b", "\uDE00\uD83D", "ab\uD83D", "\uD83Dx" })
        {
            CodePoints.CountIfValid(text).ShouldBe(-1);
            CodePoints.Count(text).ShouldBe(text.Length);
        }
    }

    [Fact]
    public void Utf16_conversions_never_land_inside_a_pair()
    {
        const string text = "a\U0001F483b";
        CodePoints.ToUtf16Index(text, 0).ShouldBe(0);
        CodePoints.ToUtf16Index(text, 1).ShouldBe(1);
        CodePoints.ToUtf16Index(text, 2).ShouldBe(3);
        CodePoints.ToUtf16Index(text, 3).ShouldBe(4);
        CodePoints.FromUtf16Index(text, 1).ShouldBe(1);
        CodePoints.FromUtf16Index(text, 2).ShouldBe(2); // inside the pair: counts the whole pair
        CodePoints.FromUtf16Index(text, 3).ShouldBe(2);
        CodePoints.FromUtf16Index(text, 4).ShouldBe(3);
        Should.Throw<OtException>(() => CodePoints.ToUtf16Index(text, 4)).Kind.ShouldBe(OtErrorKind.InvalidArgument);
        Should.Throw<OtException>(() => CodePoints.FromUtf16Index(text, 5)).Kind.ShouldBe(OtErrorKind.InvalidArgument);
    }

    [Fact]
    public void Advance_works_across_long_runs_and_pairs()
    {
        string text = new string('x', 1000) + "\U0001F483" + new string('y', 1000);
        CodePoints.Advance(text, 0, 1000).ShouldBe(1000);
        CodePoints.Advance(text, 0, 1001).ShouldBe(1002);
        CodePoints.Advance(text, 0, 2001).ShouldBe(2002);
        CodePoints.Advance(text, 0, 2002).ShouldBe(-1);
        CodePoints.Advance(text, 1002, 1000).ShouldBe(2002);
    }
}
