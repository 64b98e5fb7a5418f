using System.Net;

namespace Stoa.Mentions;

/// <summary>The one HttpClient shape every engine uses: honest identity, English results, bounded pages.</summary>
internal static class SearchHttp
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    /// <summary>A results page is tens of kilobytes; anything near this is not a results page.</summary>
    public const int MaxPageBytes = 4 * 1024 * 1024;

    /// <summary>Says what is asking instead of impersonating a browser; engines may block it, and that is reported as such.</summary>
    public static string UserAgent { get; } =
        $"stoa-mentions/{typeof(SearchHttp).Assembly.GetName().Version?.ToString(3) ?? "0.0.0"} (command-line mention check; one request per run)";

    /// <summary>
    /// The timeout is not set here: engines apply their own deadline to the request and the body together, so a timeout
    /// can be told apart from Ctrl+C and reported with the configured duration.
    /// </summary>
    public static HttpClient Create()
    {
        var handler = new SocketsHttpHandler
        {
            AutomaticDecompression = DecompressionMethods.All,
            AllowAutoRedirect = true,
            MaxAutomaticRedirections = 5,
        };
        var client = new HttpClient(handler)
        {
            Timeout = Timeout.InfiniteTimeSpan,
            MaxResponseContentBufferSize = MaxPageBytes,
        };
        client.DefaultRequestHeaders.UserAgent.ParseAdd(UserAgent);
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en");
        client.DefaultRequestHeaders.Accept.ParseAdd("text/html,application/xhtml+xml;q=0.9,*/*;q=0.1");
        return client;
    }

    /// <summary>"10 s", "1 s", "500 ms": how a timeout reads in an error message.</summary>
    public static string Describe(TimeSpan timeout) =>
        timeout.TotalSeconds >= 1 && timeout.Milliseconds == 0 ? $"{(long)timeout.TotalSeconds} s" : $"{(long)timeout.TotalMilliseconds} ms";
}
