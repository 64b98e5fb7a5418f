using System.Net;
using System.Net.Sockets;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace Stoa.Mentions;

/// <summary>
/// Fetches one HTML results page and reads its result links. Subclasses say where to ask and how to read the markup;
/// this class owns the deadline and turns every way of failing into a <see cref="SearchEngineException"/>.
/// </summary>
internal abstract class HtmlSearchEngine : ISearchEngine
{
    // Widgets that stand in front of a page when a bot is suspected, whatever the engine.
    private const string ChallengeSelector =
        ".g-recaptcha, .h-captcha, .cf-turnstile, #challenge-form, iframe[src*='recaptcha'], iframe[src*='hcaptcha'], iframe[src*='challenges.cloudflare.com']";

    private readonly HttpClient _http;
    private readonly TimeSpan _timeout;

    protected HtmlSearchEngine(HttpClient http, TimeSpan? timeout)
    {
        ArgumentNullException.ThrowIfNull(http);
        _http = http;
        _timeout = timeout ?? SearchHttp.DefaultTimeout;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(_timeout, TimeSpan.Zero, nameof(timeout));
    }

    /// <summary>The engine's name as people know it, for messages ("blocked by Bing").</summary>
    public abstract string Name { get; }

    protected abstract Uri BuildRequestUri(string query);

    /// <summary>The result links in page order, or null when the page is not a results page at all.</summary>
    protected abstract IReadOnlyList<SearchResult>? ReadResults(IDocument page, Uri pageUri);

    /// <summary>True when the page is a captcha or "unusual traffic" page instead of results.</summary>
    protected virtual bool IsChallenge(IDocument page, Uri pageUri) =>
        page.QuerySelector(ChallengeSelector) is not null
        || page.Title?.Contains("captcha", StringComparison.OrdinalIgnoreCase) == true;

    public async Task<IReadOnlyList<SearchResult>> SearchAsync(string query, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(query);
        var requestUri = BuildRequestUri(query);
        var (html, pageUri) = await FetchAsync(requestUri, cancellationToken);

        var page = new HtmlParser().ParseDocument(html);
        if (IsChallenge(page, pageUri))
        {
            throw new SearchEngineException(SearchFailure.Blocked, $"blocked by {Name}: it answered with a captcha/anomaly page");
        }

        return ReadResults(page, pageUri)
            ?? throw new SearchEngineException(SearchFailure.UnexpectedPage, $"unexpected result page from {Name}: no results list in {pageUri.GetLeftPart(UriPartial.Path)}");
    }

    /// <summary>Ensures a base address ends with '/' so relative paths extend it instead of replacing its last segment.</summary>
    protected static Uri AsDirectory(Uri baseUrl) =>
        baseUrl.AbsolutePath.EndsWith('/') ? baseUrl : new Uri(baseUrl.GetLeftPart(UriPartial.Path) + "/");

    /// <summary>The element's text with runs of whitespace collapsed, as a title reads on screen.</summary>
    protected static string TitleOf(IElement element) =>
        string.Join(' ', element.TextContent.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    private async Task<(string Html, Uri PageUri)> FetchAsync(Uri requestUri, CancellationToken cancellationToken)
    {
        // One deadline for connect, headers and body: a server that sends headers and then stalls still times out.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_timeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, requestUri);
            using var response = await _http.SendAsync(request, deadline.Token);
            var pageUri = response.RequestMessage?.RequestUri ?? requestUri;
            if (response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.TooManyRequests)
            {
                throw new SearchEngineException(SearchFailure.Blocked, $"blocked by {Name}: HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
            }

            if (!response.IsSuccessStatusCode)
            {
                throw new SearchEngineException(SearchFailure.UnexpectedPage, $"unexpected result page from {Name}: HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
            }

            var mediaType = response.Content.Headers.ContentType?.MediaType;
            if (mediaType is not null and not "text/html" and not "application/xhtml+xml")
            {
                throw new SearchEngineException(SearchFailure.UnexpectedPage, $"unexpected result page from {Name}: {mediaType} instead of HTML");
            }

            return (await response.Content.ReadAsStringAsync(deadline.Token), pageUri);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new SearchEngineException(SearchFailure.TimedOut, $"timed out after {SearchHttp.Describe(_timeout)} waiting for {Name}", ex);
        }
        catch (HttpRequestException ex)
        {
            throw Translate(ex, requestUri);
        }
    }

    private SearchEngineException Translate(HttpRequestException ex, Uri requestUri)
    {
        var socketError = (ex.InnerException as SocketException)?.Message;
        var detail = socketError is null ? string.Empty : $" ({socketError})";
        return ex.HttpRequestError switch
        {
            HttpRequestError.NameResolutionError =>
                new(SearchFailure.NoNetwork, $"no network: cannot resolve {requestUri.IdnHost}{detail}", ex),
            HttpRequestError.ConnectionError =>
                new(SearchFailure.NoNetwork, $"no network: cannot connect to {requestUri.Authority}{detail}", ex),
            HttpRequestError.ConfigurationLimitExceeded =>
                new(SearchFailure.UnexpectedPage, $"unexpected result page from {Name}: larger than {SearchHttp.MaxPageBytes / (1024 * 1024)} MiB", ex),
            _ => new(SearchFailure.RequestFailed, $"request to {Name} failed: {ex.Message}", ex),
        };
    }
}
