namespace Stoa.Ot.Tests;

/// <summary>
/// Ops count code points, not grapheme clusters, exactly like ot-text-unicode: a combining mark, a ZWJ or one half of
/// a flag is a position of its own, so edits may land inside a user-perceived character (the expected values below
/// were computed with ot-text-unicode 4.0.0). Surrogate pairs, however, are never split.
/// </summary>
public sealed class UnicodeTests
{
    private const string Cafe = "cafe\u0301!"; // é as e + combining acute: 6 code points
    private const string Family = "a\U0001F469\u200D\U0001F469\u200D\U0001F467b"; // 7 code points

    private static TextOp Op(string json) => TextOp.Parse(json);

    [Theory]
    [InlineData("[4,{\"d\":1}]", "cafe!")]
    [InlineData("[3,{\"d\":1}]", "caf\u0301!")]
    [InlineData("[4,\"X\"]", "cafeX\u0301!")]
    [InlineData("[3,{\"d\":2}]", "caf!")]
    [InlineData("[3,{\"d\":\"e\u0301\"}]", "caf!")]
    public void Edits_around_a_combining_mark_match_the_reference(string op, string expected)
    {
        CodePoints.Count(Cafe).ShouldBe(6);
        TextOt.Apply(Cafe, Op(op)).ShouldBe(expected);
    }

    [Fact]
    public void Edits_inside_zwj_sequences_and_flags_match_the_reference()
    {
        CodePoints.Count(Family).ShouldBe(7);
        TextOt.Apply(Family, Op("[2,{\"d\":1}]")).ShouldBe("a\U0001F469\U0001F469\u200D\U0001F467b");
        TextOt.Apply(Family, Op("[3,\"\U0001F916\"]")).ShouldBe("a\U0001F469\u200D\U0001F916\U0001F469\u200D\U0001F467b");
        TextOt.Apply("\U0001F1EB\U0001F1F7\U0001F1EF\U0001F1F5", Op("[1,{\"d\":2}]")).ShouldBe("\U0001F1EB\U0001F1F5");
    }

    [Fact]
    public void Transform_and_compose_around_a_combining_mark_match_the_reference()
    {
        TextOt.Transform(Op("[4,\"X\"]"), Op("[3,{\"d\":2}]"), TransformSide.Left).ToJson().ShouldBe("[3,\"X\"]");
        TextOt.Transform(Op("[3,{\"d\":\"e\u0301\"}]"), Op("[4,\"\u0308\"]"), TransformSide.Left).ShouldBe(Op("[3,{\"d\":\"e\"},1,{\"d\":\"\u0301\"}]"));
        TextOt.Transform(Op("[4,\"\u0308\"]"), Op("[3,{\"d\":\"e\u0301\"}]"), TransformSide.Right).ShouldBe(Op("[3,\"\u0308\"]"));
        TextOt.Transform(Op("[5,\"!\"]"), Op("[4,{\"d\":\"\u0301\"}]"), TransformSide.Left).ToJson().ShouldBe("[4,\"!\"]");
        TextOt.Compose(Op("[3,{\"d\":\"e\u0301\"}]"), Op("[3,\"\u00e9\"]")).ShouldBe(Op("[3,\"\u00e9\",{\"d\":\"e\u0301\"}]"));
        TextOt.Compose(Op("[\"e\u0301\u0302\"]"), Op("[1,{\"d\":1}]")).ShouldBe(Op("[\"e\u0302\"]"));
        TextOt.TransformPosition(5, Op("[3,{\"d\":\"e\u0301\"}]")).ShouldBe(3);
    }

    [Fact]
    public void A_surrogate_pair_is_one_position_everywhere()
    {
        TextOp splitInsert = TextOt.Compose(Op("[\"\U0001F47B\U0001F970\"]"), Op("[1,\"|\"]"));
        splitInsert.ShouldBe(Op("[\"\U0001F47B|\U0001F970\"]"));
        TextOp splitDelete = TextOt.Transform(Op("[{\"d\":\"\U0001F47B\U0001F970\"}]"), Op("[1,\"x\"]"), TransformSide.Left);
        splitDelete.ShouldBe(Op("[{\"d\":\"\U0001F47B\"},1,{\"d\":\"\U0001F970\"}]"));
        TextOt.Diff("\U0001F47B", "\U0001F970").ShouldBe(Op("[{\"d\":\"\U0001F47B\"},\"\U0001F970\"]"));
    }
}
