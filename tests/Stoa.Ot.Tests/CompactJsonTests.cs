using System.Text;
using System.Text.Json;

namespace Stoa.Ot.Tests;

/// <summary>Text in ops is written as UTF-8 with only the escapes JSON requires, and reads back the same.</summary>
public sealed class CompactJsonTests
{
    [Theory]
    [InlineData("plain", "[\"plain\"]")]
    [InlineData("👍🏽 é 中", "[\"👍🏽 é 中\"]")]
    [InlineData("quote \" backslash \\ slash /", "[\"quote \\\" backslash \\\\ slash /\"]")]
    [InlineData("line\nfeed\ttab\r\u0001\u001f", "[\"line\\nfeed\\ttab\\r\\u0001\\u001f\"]")]
    [InlineData("<script>\u2028", "[\"<script>\u2028\"]")]
    public void An_insert_is_written_with_only_the_escapes_json_requires_and_reads_back(string text, string json)
    {
        var op = TextOp.Insert(0, text);
        op.ToJson().ShouldBe(json);
        TextOp.Parse(op.ToJson()).ShouldBe(op);
    }

    [Fact]
    public void Emoji_cost_their_utf8_bytes_not_twelve_bytes_of_escapes()
    {
        var text = string.Concat(Enumerable.Repeat("😀", 1_000));
        var json = TextOp.Parse($$"""[3, {"d":"{{text}}"}, "{{text}}"]""").ToJson();
        Encoding.UTF8.GetByteCount(json).ShouldBeLessThan(8_100);
        json.ShouldNotContain("\\u");
    }

    [Fact]
    public void Random_text_round_trips_through_any_json_reader()
    {
        var random = new Random(20261206);
        for (var i = 0; i < 500; i++)
        {
            // The pieces of every property test, with what must be escaped mixed in.
            var text = RandomText.Text(random, 20) + (char)random.Next(0, 0x20) + "\"\\" + RandomText.Text(random, 20);
            var json = TextOp.Insert(0, text).ToJson();
            JsonDocument.Parse(json).RootElement[0].GetString().ShouldBe(text, $"seed 20261206, case {i}");
        }
    }
}
