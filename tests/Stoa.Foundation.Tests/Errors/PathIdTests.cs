using Stoa.Foundation.Errors;

namespace Stoa.Foundation.Tests.Errors;

/// <summary>The one rule for ids a client chooses and names in paths (thread ids, user ids): docs/ids.md.</summary>
public sealed class PathIdTests
{
    [Theory]
    [InlineData("a")]
    [InlineData("https://blog.example/post/1")]
    [InlineData("100% sure")]
    [InlineData("...")]
    [InlineData(".hidden")]
    [InlineData("東京 🙂")]
    public void Any_printable_text_within_the_length_is_an_id(string id) =>
        new Validation().PathId(id, "id", 256).IsValid.ShouldBeTrue();

    [Theory]
    [InlineData("", "must be 1 to 8 characters")]
    [InlineData("123456789", "must be 1 to 8 characters")]
    [InlineData(".", "must not be \".\" or \"..\"")]
    [InlineData("..", "must not be \".\" or \"..\"")]
    [InlineData("a\tb", "must not contain control characters")]
    [InlineData("a\u0000", "must not contain control characters")]
    public void Empty_long_dot_segment_or_control_character_ids_are_refused_naming_the_rule(string id, string message)
    {
        var errors = Should.Throw<ApiException>(() => new Validation().PathId(id, "threadId", 8).ThrowIfInvalid()).Errors!;
        errors["threadId"].ShouldContain(message);
    }
}
