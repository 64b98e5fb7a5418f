namespace Stoa.Ot.Tests;

public sealed class ApplyTests
{
    [Fact]
    public void Applies_the_reference_readme_example()
    {
        TextOt.Apply("hi there", TextOp.Parse("[3,{\"d\":5},\"\U0001F916\U0001F47B\U0001F483\"]")).ShouldBe("hi \U0001F916\U0001F47B\U0001F483");
    }

    [Fact]
    public void Counts_positions_in_code_points()
    {
        // Position 2 is after the emoji (two UTF-16 units) and the 'a'.
        TextOt.Apply("\U0001F483ab", TextOp.Insert(2, "X")).ShouldBe("\U0001F483aXb");
        TextOt.Apply("\U0001F483ab", TextOp.Delete(0, 1)).ShouldBe("ab");
        TextOt.Apply("\U0001F483ab", TextOp.Delete(0, "\U0001F483a")).ShouldBe("b");
        TextOt.Apply("abc", TextOp.Empty).ShouldBe("abc");
        TextOt.Apply(string.Empty, TextOp.Insert(0, "x")).ShouldBe("x");
        TextOt.Apply("ab", TextOp.Insert(2, "c")).ShouldBe("abc");
    }

    [Fact]
    public void Rejects_ops_that_do_not_fit()
    {
        Should.Throw<OtException>(() => TextOt.Apply("ab", TextOp.Insert(3, "x"))).Kind.ShouldBe(OtErrorKind.DoesNotFitDocument);
        Should.Throw<OtException>(() => TextOt.Apply("\U0001F483", TextOp.Insert(2, "x"))).Message.ShouldContain("past the end of the document (1 code points)");
        Should.Throw<OtException>(() => TextOt.Apply("ab", TextOp.Delete(1, 2))).Kind.ShouldBe(OtErrorKind.DoesNotFitDocument);
        Should.Throw<OtException>(() => TextOt.Apply("abc", TextOp.Delete(1, "bd"))).Message.ShouldContain("is not the document's text");
        Should.Throw<OtException>(() => TextOt.Validate("ab", TextOp.Delete(2, 1))).Kind.ShouldBe(OtErrorKind.DoesNotFitDocument);
        TextOt.Validate("abc", TextOp.Delete(1, "bc"));
    }

    [Fact]
    public void Applies_to_a_large_document_in_one_pass()
    {
        // 1 MB of text with astral characters spread through it; edits near both ends and in the middle.
        string chunk = new string('x', 1000) + "\U0001F483";
        string document = string.Concat(Enumerable.Repeat(chunk, 1000));
        int length = CodePoints.Count(document);
        length.ShouldBe(1001 * 1000);
        TextOp op = TextOp.Create(
            TextOpComponent.Insert("start"),
            TextOpComponent.Skip(1000),
            TextOpComponent.Delete("\U0001F483"),
            TextOpComponent.Skip(length / 2),
            TextOpComponent.Insert("middle"),
            TextOpComponent.Skip((length / 2) - 1002),
            TextOpComponent.Delete(1));
        string result = TextOt.Apply(document, op);
        result.ShouldStartWith("start" + new string('x', 1000) + "x");
        CodePoints.Count(result).ShouldBe(length + 5 - 1 + 6 - 1);
        TextOt.Apply(result, TextOt.Invert(TextOt.MakeInvertible(op, document))).ShouldBe(document);
    }
}
