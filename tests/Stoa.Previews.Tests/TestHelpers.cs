using Stoa.Previews.Core;

namespace Stoa.Previews.Tests;

internal static class TestHelpers
{
    /// <summary>Awaits a preview that must fail, and returns its error.</summary>
    public static async Task<PreviewException> ShouldFail(this Task<PreviewResult> preview)
    {
        var exception = await Record.ExceptionAsync(() => preview);
        exception.ShouldNotBeNull("the preview succeeded but was expected to fail");
        return exception.ShouldBeOfType<PreviewException>();
    }

    public static async Task ShouldFailWith(this Task<PreviewResult> preview, string code)
    {
        var error = await preview.ShouldFail();
        error.Code.ShouldBe(code, error.ToString());
    }
}
