using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Stoa.E2E;

/// <summary>What a person does on the page, in the page's own terms (labels, buttons), shared by the tests.</summary>
public static class PageSteps
{
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<IPage, List<string>> s_problems = new();

    /// <summary>Opens the page and signs in with the "Sign in as" field, as a person would.</summary>
    public static async Task OpenAsAsync(this IPage page, string userId, string path = "/")
    {
        page.RecordProblems();
        await page.GotoAsync(path);
        await Expect(page.Locator("body")).ToHaveAttributeAsync("data-ready", "true");
        await page.GetByLabel("Sign in as").FillAsync(userId);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await Expect(page.Locator("#session-status")).ToHaveTextAsync($"Signed in as {userId}");
    }

    /// <summary>Saves a screenshot of one element (or the whole page) under the test output's screenshots folder.</summary>
    public static async Task<string> ScreenshotAsync(this ILocator locator, string name)
    {
        var path = Path.Combine(StoaSite.ScreenshotDirectory, name + ".png");
        await locator.ScreenshotAsync(new() { Path = path, Animations = ScreenshotAnimations.Disabled });
        TestContext.Current.TestOutputHelper?.WriteLine($"screenshot: {path}");
        return path;
    }

    public static async Task<string> FullScreenshotAsync(this IPage page, string name)
    {
        var path = Path.Combine(StoaSite.ScreenshotDirectory, name + ".png");
        await page.ScreenshotAsync(new() { Path = path, FullPage = true, Animations = ScreenshotAnimations.Disabled });
        TestContext.Current.TestOutputHelper?.WriteLine($"screenshot: {path}");
        return path;
    }

    /// <summary>
    /// Collects what would show in the browser console as an error: uncaught exceptions, failed module loads and CSP
    /// violations. A page that works only because nobody looked at its console is not working.
    /// </summary>
    public static void RecordProblems(this IPage page)
    {
        if (s_problems.TryGetValue(page, out _))
        {
            return;
        }

        var problems = new List<string>();
        s_problems.Add(page, problems);
        page.Console += (_, message) =>
        {
            if (message.Type == "error" && !IsExpectedHttpError(message.Text))
            {
                lock (problems)
                {
                    problems.Add("console: " + message.Text);
                }
            }
        };
        page.PageError += (_, error) =>
        {
            lock (problems)
            {
                problems.Add("page error: " + error);
            }
        };
    }

    public static IReadOnlyList<string> Problems(this IPage page)
    {
        if (!s_problems.TryGetValue(page, out var problems))
        {
            return [];
        }

        lock (problems)
        {
            return [.. problems];
        }
    }

    // Chromium logs every non-2xx fetch ("Failed to load resource: … 422"); the tests that provoke API errors expect
    // those, and the page shows them itself.
    private static bool IsExpectedHttpError(string text) =>
        text.StartsWith("Failed to load resource: the server responded with a status of 4", StringComparison.Ordinal);
}
