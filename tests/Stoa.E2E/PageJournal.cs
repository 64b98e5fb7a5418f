using Microsoft.Playwright;

namespace Stoa.E2E;

/// <summary>
/// What one person's page asked the server and what went wrong on it: every API call that failed (status and problem
/// body), every request that never got an answer, and the console's errors and warnings. Written out only when a test
/// fails, so that a failure on a loaded CI machine says whether the click sent nothing, the server refused it or the
/// page drew over the answer, instead of only "attribute was false".
/// </summary>
public sealed class PageJournal
{
    private readonly List<string> _lines = [];
    private readonly DateTimeOffset _start = DateTimeOffset.UtcNow;

    private PageJournal(IPage page, string person)
    {
        Person = person;
        page.Response += async (_, response) =>
        {
            if (response.Status < 400)
            {
                // The page's own files (scripts, styles) are noise next to the API calls.
                if (IsApi(response.Url))
                {
                    Add($"{response.Request.Method} {PathOf(response.Url)} -> {response.Status}");
                }

                return;
            }

            string body;
            try
            {
                body = await response.TextAsync();
            }
            catch (PlaywrightException e)
            {
                body = "(body unavailable: " + e.Message + ")";
            }

            Add($"{response.Request.Method} {PathOf(response.Url)} -> {response.Status} {body}");
        };
        page.RequestFailed += (_, request) => Add($"{request.Method} {PathOf(request.Url)} failed: {request.Failure}");
        page.Console += (_, message) =>
        {
            if (message.Type is "error" or "warning")
            {
                Add($"console {message.Type}: {message.Text}");
            }
        };
        page.PageError += (_, error) => Add("page error: " + error);
    }

    public string Person { get; }

    public static PageJournal Attach(IPage page, string person) => new(page, person);

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lines)
            {
                return [.. _lines];
            }
        }
    }

    private void Add(string line)
    {
        var at = (DateTimeOffset.UtcNow - _start).TotalSeconds;
        lock (_lines)
        {
            _lines.Add($"+{at:0.000} s {line}");
        }
    }

    private static bool IsApi(string url)
    {
        var path = new Uri(url).AbsolutePath;
        return path.StartsWith("/v1/", StringComparison.Ordinal) || path.StartsWith("/dev/", StringComparison.Ordinal);
    }

    private static string PathOf(string url)
    {
        var uri = new Uri(url);
        return uri.PathAndQuery.Length > 160 ? uri.PathAndQuery[..160] + "…" : uri.PathAndQuery;
    }
}
