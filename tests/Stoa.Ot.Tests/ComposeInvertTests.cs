namespace Stoa.Ot.Tests;

public sealed class ComposeInvertTests
{
    private static TextOp Op(string json) => TextOp.Parse(json);

    // ot-text-unicode's emoji and fuzzer-found compose cases.
    [Theory]
    [InlineData("[\"\U0001F47B\"]", "[1,\"\U0001F970\"]", "[\"\U0001F47B\U0001F970\"]")]
    [InlineData("[1,\"a\U0001F47Bb\"]", "[2,{\"d\":1}]", "[1,\"ab\"]")]
    [InlineData("[1,\"a\U0001F47Bb\"]", "[3,{\"d\":1}]", "[1,\"a\U0001F47B\"]")]
    [InlineData("[\"\U0001F47B\U0001F970\U0001F483\"]", "[1,{\"d\":1}]", "[\"\U0001F47B\U0001F483\"]")]
    [InlineData("[2,\"hi there\"]", "[2,{\"d\":\"hi there\"}]", "[]")]
    public void Compose_matches_the_reference(string a, string b, string expected)
    {
        TextOt.Compose(Op(a), Op(b)).ShouldBe(Op(expected));
    }

    [Fact]
    public void Invert_needs_the_deleted_text()
    {
        // The reference README's examples.
        Should.Throw<OtException>(() => TextOt.Invert(Op("[2,{\"d\":5}]"))).Kind.ShouldBe(OtErrorKind.NotInvertible);
        TextOt.Invert(Op("[2,{\"d\":\"hello\"}]")).ToJson().ShouldBe("[2,\"hello\"]");
        TextOt.Invert(TextOt.MakeInvertible(Op("[2,{\"d\":5}]"), "a hello")).ToJson().ShouldBe("[2,\"hello\"]");
        TextOt.StripInvertible(Op("[2,{\"d\":\"h\U0001F483llo\"}]")).ToJson().ShouldBe("[2,{\"d\":5}]");
        Should.Throw<OtException>(() => TextOt.MakeInvertible(Op("[2,{\"d\":5}]"), "a he")).Kind.ShouldBe(OtErrorKind.DoesNotFitDocument);
    }
}
