using Stoa.Foundation.Telemetry;

namespace Stoa.Foundation.Tests.Telemetry;

public sealed class LabelSetTests
{
    private static KeyValuePair<string, object?> Tag(string key, object? value) => new(key, value);

    [Fact]
    public void Labels_are_sanitised_sorted_and_formatted_invariantly()
    {
        var labels = LabelSet.From([Tag("http.route", "/v1/x"), Tag("ok", true), Tag("code", 200), Tag("ratio", 0.5), Tag("none", null)]);
        labels.Labels.ShouldBe(
        [
            new("code", "200"),
            new("http_route", "/v1/x"),
            new("ok", "true"),
            new("ratio", "0.5"),
        ]);
    }

    [Fact]
    public void Keys_that_sanitise_alike_are_merged_in_key_order()
    {
        LabelSet.From([Tag("a_b", "2"), Tag("a.b", "1")]).Labels.ShouldBe([new("a_b", "1;2")]);
    }

    [Fact]
    public void Equal_tags_in_any_order_are_one_series()
    {
        var first = LabelSet.From([Tag("x", 1), Tag("y", "a")]);
        var second = LabelSet.From([Tag("y", "a"), Tag("x", 1)]);
        first.ShouldBe(second);
        first.GetHashCode().ShouldBe(second.GetHashCode());
        LabelSet.From([Tag("x", 2), Tag("y", "a")]).ShouldNotBe(first);
        LabelSet.From([]).ShouldBeSameAs(LabelSet.Empty);
    }
}
