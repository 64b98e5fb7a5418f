using Microsoft.Playwright;

namespace Stoa.E2E;

/// <summary>
/// Base of the browser tests: the people a test opens are closed when it ends, so that their live streams (quotes,
/// comments, documents) do not keep running into the next test. When the test failed, each person's
/// <see cref="PageJournal"/> and a screenshot of their whole page go to the test's output first.
/// </summary>
public abstract class BrowserTest(StoaSite site) : IAsyncDisposable
{
    private readonly List<(IPage Page, PageJournal Journal)> _people = [];

    protected StoaSite Site => site;

    protected async Task<IPage> NewPersonAsync(int width = 1280, int height = 900)
    {
        var page = await site.NewPersonAsync(width, height);
        _people.Add((page, PageJournal.Attach(page, $"person {_people.Count + 1}")));
        return page;
    }

    public async ValueTask DisposeAsync()
    {
        if (TestContext.Current.TestState?.Result == TestResult.Failed)
        {
            await ReportAsync();
        }

        foreach (var (page, _) in _people)
        {
            await page.Context.CloseAsync();
        }

        GC.SuppressFinalize(this);
    }

    private async Task ReportAsync()
    {
        var output = TestContext.Current.TestOutputHelper;
        var test = TestContext.Current.Test?.TestDisplayName ?? "test";
        var name = new string([.. test.Split('.')[^1].Select(c => char.IsLetterOrDigit(c) ? c : '-')]);
        foreach (var (page, journal) in _people)
        {
            output?.WriteLine($"--- {journal.Person}: {page.Url}");
            foreach (var line in journal.Lines)
            {
                output?.WriteLine(line);
            }

            try
            {
                await page.FullScreenshotAsync($"failed-{name}-{journal.Person.Replace(' ', '-')}");
            }
            catch (PlaywrightException e)
            {
                output?.WriteLine("screenshot failed: " + e.Message);
            }
        }
    }
}
