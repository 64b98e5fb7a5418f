using Microsoft.Playwright;

namespace Stoa.E2E;

/// <summary>
/// Base of the browser tests: the people a test opens are closed when it ends, so that their live streams (quotes,
/// comments, documents) do not keep running into the next test.
/// </summary>
public abstract class BrowserTest(StoaSite site) : IAsyncDisposable
{
    private readonly List<IBrowserContext> _contexts = [];

    protected StoaSite Site => site;

    protected async Task<IPage> NewPersonAsync(int width = 1280, int height = 900)
    {
        var page = await site.NewPersonAsync(width, height);
        _contexts.Add(page.Context);
        return page;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var context in _contexts)
        {
            await context.CloseAsync();
        }

        GC.SuppressFinalize(this);
    }
}
