namespace Stoa.Ot.Tests;

/// <summary>Algebraic properties on random documents and ops (fixed seeds; see <see cref="Property"/>).</summary>
public sealed class PropertyTests
{
    private const int Cases = 5000;

    [Fact]
    public void Transform_converges_from_both_sides()
    {
        Property.Check(seed: 1001, Cases, (random, trace) =>
        {
            string doc = RandomText.Document(random);
            TextOp a = RandomText.Op(random, doc);
            TextOp b = RandomText.Op(random, doc);
            trace.Add("doc", doc);
            trace.Add("a", a);
            trace.Add("b", b);

            string viaA = TextOt.Apply(TextOt.Apply(doc, a), TextOt.Transform(b, a, TransformSide.Left));
            string viaB = TextOt.Apply(TextOt.Apply(doc, b), TextOt.Transform(a, b, TransformSide.Right));
            viaA.ShouldBe(viaB);
        });
    }

    [Fact]
    public void Transform_against_a_noop_changes_nothing_and_keeps_invertibility()
    {
        Property.Check(seed: 1002, Cases, (random, trace) =>
        {
            string doc = RandomText.Document(random);
            TextOp a = RandomText.Op(random, doc, withText: true);
            TextOp b = RandomText.Op(random, doc, withText: true);
            trace.Add("doc", doc);
            trace.Add("a", a);
            trace.Add("b", b);

            TextOt.Transform(a, TextOp.Empty, TransformSide.Left).ShouldBe(a);
            TextOp transformed = TextOt.Transform(a, b, TransformSide.Right);
            transformed.IsInvertible.ShouldBeTrue();

            // The kept delete text is the text really there: applying (which checks it) must succeed.
            TextOt.Validate(TextOt.Apply(doc, b), transformed);
        });
    }

    [Fact]
    public void Compose_agrees_with_applying_in_turn()
    {
        Property.Check(seed: 1003, Cases, (random, trace) =>
        {
            string doc = RandomText.Document(random);
            TextOp a = RandomText.Op(random, doc);
            string middle = TextOt.Apply(doc, a);
            TextOp b = RandomText.Op(random, middle);
            trace.Add("doc", doc);
            trace.Add("a", a);
            trace.Add("b", b);

            TextOp composed = TextOt.Compose(a, b);
            TextOt.Apply(doc, composed).ShouldBe(TextOt.Apply(middle, b));
            if (a.IsInvertible && b.IsInvertible)
            {
                composed.IsInvertible.ShouldBeTrue();
            }
        });
    }

    [Fact]
    public void Compose_is_associative_in_effect()
    {
        Property.Check(seed: 1004, Cases, (random, trace) =>
        {
            string doc = RandomText.Document(random);
            TextOp a = RandomText.Op(random, doc);
            string d1 = TextOt.Apply(doc, a);
            TextOp b = RandomText.Op(random, d1);
            string d2 = TextOt.Apply(d1, b);
            TextOp c = RandomText.Op(random, d2);
            trace.Add("doc", doc);
            trace.Add("a", a);
            trace.Add("b", b);
            trace.Add("c", c);

            string left = TextOt.Apply(doc, TextOt.Compose(TextOt.Compose(a, b), c));
            string right = TextOt.Apply(doc, TextOt.Compose(a, TextOt.Compose(b, c)));
            left.ShouldBe(right);
            left.ShouldBe(TextOt.Apply(d2, c));
        });
    }

    [Fact]
    public void Invert_undoes_the_op()
    {
        Property.Check(seed: 1005, Cases, (random, trace) =>
        {
            string doc = RandomText.Document(random);
            TextOp op = RandomText.Op(random, doc);
            trace.Add("doc", doc);
            trace.Add("op", op);

            TextOp invertible = TextOt.MakeInvertible(op, doc);
            invertible.IsInvertible.ShouldBeTrue();
            TextOt.StripInvertible(invertible).ShouldBe(TextOt.StripInvertible(op));
            TextOp inverse = TextOt.Invert(invertible);
            string after = TextOt.Apply(doc, invertible);
            after.ShouldBe(TextOt.Apply(doc, op));
            TextOt.Apply(after, inverse).ShouldBe(doc);
            TextOt.Invert(inverse).ShouldBe(invertible);
            TextOt.Apply(doc, TextOt.Compose(invertible, inverse)).ShouldBe(doc);
        });
    }

    [Fact]
    public void Surrogate_pairs_are_never_split()
    {
        Property.Check(seed: 1006, Cases, (random, trace) =>
        {
            string doc = RandomText.Document(random);
            TextOp a = RandomText.Op(random, doc);
            TextOp b = RandomText.Op(random, doc);
            trace.Add("doc", doc);
            trace.Add("a", a);
            trace.Add("b", b);

            // Every text the type produces is valid UTF-16: no op, piece of op or document holds a lone surrogate.
            AssertValid(TextOt.Apply(doc, a));
            foreach (TextOp op in new[]
            {
                TextOt.Transform(a, b, TransformSide.Left),
                TextOt.Transform(b, a, TransformSide.Right),
                TextOt.Compose(a, RandomText.Op(random, TextOt.Apply(doc, a))),
                TextOt.Invert(TextOt.MakeInvertible(a, doc)),
            })
            {
                foreach (TextOpComponent component in op.Components)
                {
                    if (component.Text is not null)
                    {
                        AssertValid(component.Text);
                        CodePoints.Count(component.Text).ShouldBe(component.Length);
                    }
                }
            }
        });

        static void AssertValid(string text) => CodePoints.CountIfValid(text).ShouldBeGreaterThanOrEqualTo(0, $"lone surrogate in {System.Text.Json.JsonSerializer.Serialize(text)}");
    }

    [Fact]
    public void Json_round_trips()
    {
        Property.Check(seed: 1007, Cases, (random, trace) =>
        {
            string doc = RandomText.Document(random);
            TextOp op = RandomText.Op(random, doc);
            trace.Add("op", op);

            TextOp.Parse(op.ToJson()).ShouldBe(op);
            TextOp.Parse(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(op)).ShouldBe(op);
            System.Text.Json.JsonSerializer.Deserialize<TextOp>(System.Text.Json.JsonSerializer.Serialize(op)).ShouldBe(op);
        });
    }

    [Fact]
    public void Diff_produces_the_target_with_one_region()
    {
        Property.Check(seed: 1008, Cases, (random, trace) =>
        {
            string before = RandomText.Document(random);
            string after = random.Next(2) == 0 ? RandomText.Document(random) : TextOt.Apply(before, RandomText.Op(random, before));
            trace.Add("before", before);
            trace.Add("after", after);

            TextOp diff = TextOt.Diff(before, after);
            TextOt.Apply(before, diff).ShouldBe(after);
            diff.IsInvertible.ShouldBeTrue();
            diff.Components.Count(c => !c.IsSkip).ShouldBeLessThanOrEqualTo(2);
            TextOt.Apply(after, TextOt.Invert(diff)).ShouldBe(before);
        });
    }

    [Fact]
    public void Transformed_position_stays_inside_the_document()
    {
        Property.Check(seed: 1009, Cases, (random, trace) =>
        {
            string doc = RandomText.Document(random);
            TextOp op = RandomText.Op(random, doc);
            int length = CodePoints.Count(doc);
            int cursor = random.Next(length + 1);
            trace.Add("doc", doc);
            trace.Add("op", op);
            trace.Add("cursor", cursor);

            int newLength = CodePoints.Count(TextOt.Apply(doc, op));
            int moved = TextOt.TransformPosition(cursor, op);
            moved.ShouldBeInRange(0, newLength);
            TextOt.TransformPosition(cursor, op, isOwnOp: true).ShouldBeInRange(0, newLength);

            // The code point right after the cursor survives the op unless the op deleted it.
            if (cursor < length && !Deletes(op, cursor))
            {
                string[] before = RandomText.Split(doc);
                string[] after = RandomText.Split(TextOt.Apply(doc, op));
                after[moved..].ShouldContain(before[cursor]);
            }
        });

        static bool Deletes(TextOp op, int position)
        {
            int at = 0;
            foreach (TextOpComponent c in op.Components)
            {
                if (c.IsInsert)
                {
                    continue;
                }

                if (c.IsDelete && position >= at && position < at + c.Length)
                {
                    return true;
                }

                at += c.Length;
            }

            return false;
        }
    }
}
