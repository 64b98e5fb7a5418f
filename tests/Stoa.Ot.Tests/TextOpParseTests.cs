using System.Text;
using System.Text.Json;

namespace Stoa.Ot.Tests;

public sealed class TextOpParseTests
{
    [Theory]
    [InlineData("[]", "[]")]
    [InlineData("[3,\"hi\",{\"d\":2}]", "[3,\"hi\",{\"d\":2}]")]
    [InlineData("[{\"d\":\"ab\"}]", "[{\"d\":\"ab\"}]")]
    // ot-text-unicode's "should normalize sanely" cases that are valid input here.
    [InlineData("[{\"d\":2}]", "[{\"d\":2}]")]
    [InlineData("[1,1]", "[]")]
    [InlineData("[1,1,\"hi\"]", "[2,\"hi\"]")]
    [InlineData("[{\"d\":1},{\"d\":1},\"hi\"]", "[{\"d\":2},\"hi\"]")]
    [InlineData("[\"a\",100]", "[\"a\"]")]
    [InlineData("[\"a\",\"b\"]", "[\"ab\"]")]
    [InlineData("[\"a\",1,\"b\"]", "[\"a\",1,\"b\"]")]
    // Merging a counted delete with a texted one keeps only the count, as the reference does.
    [InlineData("[{\"d\":\"ab\"},{\"d\":2},{\"d\":\"c\"}]", "[{\"d\":5}]")]
    [InlineData("[{\"d\":\"ab\"},{\"d\":\"c\"}]", "[{\"d\":\"abc\"}]")]
    // JSON spellings of whole numbers.
    [InlineData("[3.0,\"x\",{\"d\":2e0}]", "[3,\"x\",{\"d\":2}]")]
    [InlineData(" [ 1 , \"\\u00e9\" ] ", "[1,\"é\"]")]
    public void Parse_accepts_and_normalizes(string json, string expected)
    {
        TextOp op = TextOp.Parse(json);
        op.ToJson().ShouldBe(expected);
        TextOp.Parse(Encoding.UTF8.GetBytes(json)).ShouldBe(op);
        using JsonDocument document = JsonDocument.Parse(json);
        TextOp.Parse(document.RootElement).ShouldBe(op);
    }

    [Theory]
    [InlineData("", "not valid JSON")]
    [InlineData("   ", "not valid JSON")]
    [InlineData("{}", "must be a JSON array")]
    [InlineData("\"abc\"", "must be a JSON array")]
    [InlineData("null", "must be a JSON array")]
    [InlineData("3", "must be a JSON array")]
    [InlineData("[0]", "positive integer")]
    [InlineData("[-1,\"a\"]", "positive integer")]
    [InlineData("[1.5]", "whole number")]
    [InlineData("[\"\"]", "must not be empty")]
    [InlineData("[{\"d\":0}]", "positive integer")]
    [InlineData("[{\"d\":-2}]", "positive integer")]
    [InlineData("[{\"d\":\"\"}]", "must not be empty")]
    [InlineData("[{\"d\":null}]", "\"d\" must be")]
    [InlineData("[{\"d\":[1]}]", "\"d\" must be")]
    [InlineData("[{\"d\":{}}]", "\"d\" must be")]
    [InlineData("[{}]", "exactly one property")]
    [InlineData("[{\"i\":\"x\"}]", "exactly one property")]
    [InlineData("[{\"d\":1,\"x\":2}]", "exactly one property")]
    [InlineData("[{\"d\":1,\"d\":2}]", "exactly one property")]
    [InlineData("[true]", "a boolean")]
    [InlineData("[null]", "null")]
    [InlineData("[[1]]", "an array")]
    [InlineData("[1,\"a\"", "not valid JSON")]
    [InlineData("[1] [2]", "not valid JSON")]
    [InlineData("[1,]", "not valid JSON")]
    [InlineData("[\"\\ud800\"]", "not valid Unicode")]
    [InlineData("[\"a\\udc00b\"]", "not valid Unicode")]
    [InlineData("[{\"d\":\"\\ud83d\"}]", "not valid Unicode")]
    [InlineData("[2147483648]", "at most")]
    [InlineData("[99999999999999999999999999]", "at most")]
    [InlineData("[1e400]", "at most")]
    [InlineData("[{\"d\":1e300}]", "at most")]
    [InlineData("[2147483647,\"a\",2147483647,{\"d\":1}]", "spans more than")]
    public void Parse_rejects_malformed_ops_with_OtException_only(string json, string messagePart)
    {
        OtException e = Should.Throw<OtException>(() => TextOp.Parse(json));
        e.Kind.ShouldBe(OtErrorKind.MalformedOp);
        e.Message.ShouldContain(messagePart, Case.Insensitive);
        Should.Throw<OtException>(() => TextOp.Parse(Encoding.UTF8.GetBytes(json)));
    }

    [Fact]
    public void Parse_names_the_bad_component()
    {
        Should.Throw<OtException>(() => TextOp.Parse("[1,\"a\",0]")).Message.ShouldBe(
            "Invalid text op: component 2: a skip must be a positive integer (code points), got 0.");
    }

    [Fact]
    public void Parse_survives_hostile_input()
    {
        string deep = new string('[', 100_000) + new string(']', 100_000);
        Should.Throw<OtException>(() => TextOp.Parse(deep));
        Should.Throw<OtException>(() => TextOp.Parse("[{\"d\":" + new string('[', 10_000) + "}]"));
        Should.Throw<OtException>(() => TextOp.Parse("[" + new string('9', 100_000) + "]"));
        Should.Throw<OtException>(() => TextOp.Parse("[\"\uD800\"]")); // raw lone surrogate in the C# string
        Should.Throw<OtException>(() => TextOp.Parse([(byte)'[', (byte)'"', 0xFF, 0xFE, (byte)'"', (byte)']'])); // invalid UTF-8
        Should.Throw<OtException>(() => TextOp.Parse(default(JsonElement)));

        // Many tiny inserts merge in linear time.
        string many = "[" + string.Join(",", Enumerable.Repeat("\"ab\"", 200_000)) + "]";
        TextOp merged = TextOp.Parse(many);
        merged.Count.ShouldBe(1);
        merged[0].Length.ShouldBe(400_000);
    }

    [Fact]
    public void Converter_reports_bad_ops_as_JsonException_with_the_OtException_inside()
    {
        var e = Should.Throw<JsonException>(() => JsonSerializer.Deserialize<TextOp>("[0]"));
        e.InnerException.ShouldBeOfType<OtException>();

        var body = JsonSerializer.Deserialize<Body>("{\"version\":3,\"op\":[2,{\"d\":\"\\u00e9\"},\"x\"]}", JsonSerializerOptions.Web)!;
        body.Op.ShouldBe(TextOp.Create(TextOpComponent.Skip(2), TextOpComponent.Delete("\u00e9"), TextOpComponent.Insert("x")));
        // An op's text is written as UTF-8 whatever the serializer's encoder (CompactJson): ops are text, and bytes count.
        JsonSerializer.Serialize(body, JsonSerializerOptions.Web).ShouldBe("{\"version\":3,\"op\":[2,{\"d\":\"\u00e9\"},\"x\"]}");
    }

    [Fact]
    public void Builders_match_the_reference_helpers()
    {
        TextOp.Insert(2, "hi there").ToJson().ShouldBe("[2,\"hi there\"]");
        TextOp.Insert(0, "x").ToJson().ShouldBe("[\"x\"]");
        TextOp.Insert(5, string.Empty).IsNoop.ShouldBeTrue();
        TextOp.Delete(2, "hi there").ToJson().ShouldBe("[2,{\"d\":\"hi there\"}]");
        TextOp.Delete(2, 8).ToJson().ShouldBe("[2,{\"d\":8}]");
        TextOp.Delete(0, 0).IsNoop.ShouldBeTrue();
        TextOp.Insert(1, "\U0001F47B")[1].Length.ShouldBe(1);
        Should.Throw<OtException>(() => TextOp.Insert(-1, "x")).Kind.ShouldBe(OtErrorKind.InvalidArgument);
        Should.Throw<OtException>(() => TextOp.Insert(0, "\uD83D")).Kind.ShouldBe(OtErrorKind.MalformedOp);
        Should.Throw<OtException>(() => TextOp.Delete(0, -3)).Kind.ShouldBe(OtErrorKind.InvalidArgument);
        Should.Throw<OtException>(() => TextOpComponent.Skip(0));
        Should.Throw<OtException>(() => TextOp.Create(default(TextOpComponent)));
    }

    [Fact]
    public void Ops_are_normalized_and_compare_by_value()
    {
        TextOp a = TextOp.Create(TextOpComponent.Skip(1), TextOpComponent.Skip(2), TextOpComponent.Insert("a"), TextOpComponent.Insert("b"), TextOpComponent.Skip(4));
        TextOp b = TextOp.Parse("[3,\"ab\"]");
        a.ShouldBe(b);
        a.GetHashCode().ShouldBe(b.GetHashCode());
        a.InputLength.ShouldBe(3);
        a.OutputLength.ShouldBe(5);
        TextOp.Parse("[2,{\"d\":3},\"xy\"]").InputLength.ShouldBe(5);
        TextOt.Normalize([TextOpComponent.Delete(1), TextOpComponent.Delete(1), TextOpComponent.Insert("hi")]).ToJson().ShouldBe("[{\"d\":2},\"hi\"]");
    }

    private sealed record Body(int Version, TextOp Op);
}
