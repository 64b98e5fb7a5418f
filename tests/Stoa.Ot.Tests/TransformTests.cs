namespace Stoa.Ot.Tests;

public sealed class TransformTests
{
    private static TextOp Op(string json) => TextOp.Parse(json);

    [Fact]
    public void Concurrent_inserts_at_one_place_follow_the_side()
    {
        // ot-text-unicode's own emoji case.
        TextOt.Transform(Op("[\"\U0001F47B\"]"), Op("[\"\U0001F970\"]"), TransformSide.Left).ShouldBe(Op("[\"\U0001F47B\"]"));
        TextOt.Transform(Op("[\"\U0001F47B\"]"), Op("[\"\U0001F970\"]"), TransformSide.Right).ShouldBe(Op("[1,\"\U0001F47B\"]"));
    }

    [Fact]
    public void Deletes_of_the_same_text_cancel_and_keep_their_text()
    {
        TextOt.Transform(Op("[1,{\"d\":\"bcd\"}]"), Op("[2,{\"d\":\"cde\"}]"), TransformSide.Left).ToJson().ShouldBe("[1,{\"d\":\"b\"}]");
        TextOt.Transform(Op("[{\"d\":3}]"), Op("[{\"d\":3}]"), TransformSide.Left).IsNoop.ShouldBeTrue();
        TextOt.Transform(Op("[2,\"x\"]"), Op("[{\"d\":5}]"), TransformSide.Left).ToJson().ShouldBe("[\"x\"]");
        Should.Throw<OtException>(() => TextOt.Transform(TextOp.Empty, TextOp.Empty, (TransformSide)7));
    }

    [Fact]
    public void Compose_is_not_closed_under_transform_as_the_reference_notes_say()
    {
        // NOTES.md of ot-text-unicode: the three ways of writing "replace a character with x" differ under transform.
        TextOp di = TextOt.Compose(Op("[{\"d\":1}]"), Op("[\"x\"]"));
        TextOp id0 = TextOt.Compose(Op("[\"x\"]"), Op("[1,{\"d\":1}]"));
        TextOp id1 = TextOt.Compose(Op("[1,\"x\"]"), Op("[{\"d\":1}]"));
        di.ToJson().ShouldBe("[\"x\",{\"d\":1}]");
        id0.ToJson().ShouldBe("[\"x\",{\"d\":1}]");
        id1.ToJson().ShouldBe("[{\"d\":1},\"x\"]");

        Ambiguous(id0, Op("[\"y\"]")).ShouldBeTrue();
        Ambiguous(id0, Op("[1,\"y\"]")).ShouldBeFalse();
        Ambiguous(id1, Op("[\"y\"]")).ShouldBeFalse();
        Ambiguous(id1, Op("[1,\"y\"]")).ShouldBeTrue();

        TextOp[] evil = [Op("[2,{\"d\":2}]"), Op("[2,\"aa\"]"), Op("[{\"d\":2}]"), Op("[\"bb\"]")];
        Through(evil, Op("[\"x\"]"), TransformSide.Left).ToJson().ShouldBe("[\"x\"]");
        Through(evil, Op("[4,\"x\"]"), TransformSide.Left).ToJson().ShouldBe("[\"x\"]");
        Through(evil, Op("[\"x\"]"), TransformSide.Right).ToJson().ShouldBe("[2,\"x\"]");
        Through(evil, Op("[4,\"x\"]"), TransformSide.Right).ToJson().ShouldBe("[4,\"x\"]");

        static bool Ambiguous(TextOp a, TextOp b) => !TextOt.Transform(a, b, TransformSide.Left).Equals(TextOt.Transform(a, b, TransformSide.Right));

        static TextOp Through(TextOp[] history, TextOp op, TransformSide side)
        {
            foreach (TextOp past in history)
            {
                op = TextOt.Transform(op, past, side);
            }

            return op;
        }
    }

    // ot-text-unicode's transformPosition tests (copied there from libot's test.c).
    [Theory]
    [InlineData("[10,\"oh hi\",10,{\"d\":20}]", 10, 10)]
    [InlineData("[25,{\"d\":20}]", 25, 25)]
    [InlineData("[25,{\"d\":20}]", 35, 25)]
    [InlineData("[25,{\"d\":20}]", 45, 25)]
    [InlineData("[25,{\"d\":20}]", 10, 10)]
    [InlineData("[25,{\"d\":20}]", 55, 35)]
    [InlineData("[10,\"oh hi\",10,{\"d\":20}]", 0, 0)]
    [InlineData("[10,\"oh hi\",10,{\"d\":20}]", 100, 85)]
    [InlineData("[10,\"oh hi\",10,{\"d\":20}]", 11, 16)]
    [InlineData("[10,\"oh hi\",10,{\"d\":20}]", 20, 25)]
    [InlineData("[10,\"oh hi\",10,{\"d\":20}]", 30, 25)]
    [InlineData("[10,\"oh hi\",10,{\"d\":20}]", 40, 25)]
    [InlineData("[10,\"oh hi\",10,{\"d\":20}]", 41, 26)]
    [InlineData("[\"\U0001F47B\U0001F970\U0001F483\"]", 1, 4)]
    [InlineData("[2,\"\U0001F47B\U0001F970\U0001F483\"]", 1, 1)]
    public void TransformPosition_matches_the_reference(string op, int cursor, int expected)
    {
        TextOt.TransformPosition(cursor, Op(op)).ShouldBe(expected);
        TextOt.TransformSelection((cursor, cursor), Op(op)).ShouldBe((expected, expected));
    }

    [Fact]
    public void Own_op_moves_the_cursor_to_the_end_of_the_edit()
    {
        TextOt.TransformPosition(3, TextOp.Insert(3, "\U0001F483\U0001F483"), isOwnOp: true).ShouldBe(5);
        TextOt.TransformPosition(3, TextOp.Insert(3, "\U0001F483\U0001F483"), isOwnOp: false).ShouldBe(3);
        TextOt.TransformPosition(9, TextOp.Delete(2, 4), isOwnOp: true).ShouldBe(2);
        TextOt.TransformPosition(7, TextOp.Empty, isOwnOp: true).ShouldBe(7);
        Should.Throw<OtException>(() => TextOt.TransformPosition(-1, TextOp.Empty));
        Should.Throw<OtException>(() => TextOt.TransformPosition(int.MaxValue, TextOp.Insert(0, "x"))).Kind.ShouldBe(OtErrorKind.InvalidArgument);
    }
}
