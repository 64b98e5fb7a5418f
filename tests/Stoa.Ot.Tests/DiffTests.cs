namespace Stoa.Ot.Tests;

public sealed class DiffTests
{
    [Theory]
    [InlineData("", "", "[]")]
    [InlineData("abc", "abc", "[]")]
    [InlineData("", "abc", "[\"abc\"]")]
    [InlineData("abc", "", "[{\"d\":\"abc\"}]")]
    [InlineData("hello world", "hello brave world", "[6,\"brave \"]")]
    [InlineData("hello brave world", "hello world", "[6,{\"d\":\"brave \"}]")]
    [InlineData("hello world", "hello there", "[6,{\"d\":\"world\"},\"there\"]")]
    [InlineData("aa", "aaa", "[2,\"a\"]")]
    [InlineData("cafe", "cafe\u0301", "[4,\"\u0301\"]")]
    [InlineData("a\U0001F47Bb", "a\U0001F970b", "[1,{\"d\":\"\U0001F47B\"},\"\U0001F970\"]")] // same high surrogate, different low
    [InlineData("x\U0001F47B", "x\U0001F47B\U0001F47B", "[2,\"\U0001F47B\"]")]
    [InlineData("\U0001F1EB\U0001F1F7", "\U0001F1EB\U0001F1F5", "[1,{\"d\":\"\U0001F1F7\"},\"\U0001F1F5\"]")]
    public void Diff_finds_the_changed_region_in_code_points(string before, string after, string expected)
    {
        TextOp diff = TextOt.Diff(before, after);
        diff.ShouldBe(TextOp.Parse(expected));
        TextOt.Apply(before, diff).ShouldBe(after);
    }

    [Fact]
    public void Diff_rejects_invalid_text()
    {
        Should.Throw<OtException>(() => TextOt.Diff("a\uD83D", "a")).Kind.ShouldBe(OtErrorKind.InvalidArgument);
    }
}
