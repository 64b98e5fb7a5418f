using System.Diagnostics;
using System.Diagnostics.Metrics;
using Stoa.Foundation.Telemetry;
using Stoa.Previews.Core;
using Stoa.Previews.Extraction;

namespace Stoa.Previews.Fetching;

/// <summary>
/// The card of a page, for Core's <see cref="IPageCards"/>: validates a URL, fetches it safely (SSRF policy, per-host
/// circuit breaker, deadline, size caps; the body past &lt;/head&gt; only when the head lacks what a card needs), extracts
/// a link card and merges the page's oEmbed (discovered, or from the bundled provider registry) and, for a logo, its
/// manifest. One instance per process: it owns the HttpClient, the breakers and the meter. Thread-safe.
/// </summary>
internal sealed class PreviewService : IPageCards, IDisposable
{
    private readonly PreviewOptions _options;
    private readonly UrlPolicy _policy;
    private readonly HostCircuitBreakers _breakers;
    private readonly PreviewMetrics _metrics;
    private readonly HttpClient _client;
    private readonly UpstreamFetcher _fetcher;

    /// <param name="resolver">DNS; the system resolver when null.</param>
    /// <param name="telemetry">The module's telemetry; a private <c>Stoa.Previews</c> meter when null.</param>
    /// <param name="timeProvider">Clock for the circuit breakers.</param>
    /// <exception cref="ArgumentException">An option is invalid; the message names the setting.</exception>
    public PreviewService(
        PreviewOptions options, IHostResolver? resolver = null, ModuleTelemetry? telemetry = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        Validate(options);
        _options = options;
        _policy = new UrlPolicy(new AddressPolicy(options.AllowedNetworks, options.AllowedPorts));
        _breakers = new HostCircuitBreakers(options, timeProvider ?? TimeProvider.System);
        _breakers.StateChanged += change => BreakerStateChanged?.Invoke(change);
        _metrics = new PreviewMetrics(telemetry, _breakers.Snapshot);
        _client = SafeHttpClient.Create();
        _fetcher = new UpstreamFetcher(options, _policy, resolver ?? DnsHostResolver.Instance, _breakers, _metrics, _client);
    }

    /// <summary>
    /// For tests and benchmarks: answers the oEmbed and manifest requests (null: the request failed) instead of the
    /// network, so that a saved page's whole card can be checked offline.
    /// </summary>
    internal Func<Uri, FetchPurpose, UpstreamResponse?>? SecondaryFetch { get; init; }

    /// <summary>The oEmbed providers known without a discovery link (tests point it at local endpoints).</summary>
    internal OEmbedRegistry Registry { get; init; } = OEmbedRegistry.Bundled;

    /// <summary>Raised when a host's breaker opens, half-opens or closes.</summary>
    public event Action<BreakerStateChange>? BreakerStateChanged;

    internal Meter Meter => _metrics.Meter;

    public Uri ParseUrl(string url) => UrlPolicy.Parse(url);

    /// <summary>Parses <paramref name="url"/> as a client sent it, then previews it.</summary>
    /// <exception cref="PreviewException">With a code from <see cref="PreviewErrors"/>.</exception>
    public Task<PreviewResult> GetAsync(string url, CancellationToken cancellationToken)
    {
        Uri uri;
        try
        {
            uri = UrlPolicy.Parse(url);
        }
        catch (PreviewException ex)
        {
            return Task.FromException<PreviewResult>(ex);
        }

        return GetAsync(uri, cancellationToken);
    }

    /// <summary>Previews <paramref name="url"/>.</summary>
    /// <exception cref="PreviewException">With a code from <see cref="PreviewErrors"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<PreviewResult> GetAsync(Uri url, CancellationToken cancellationToken)
    {
        var built = await BuildAsync(url, savedPage: null, headerCharset: null, offline: false, report: null, cancellationToken);
        return new PreviewResult(built.Card, built.MaxAge);
    }

    /// <summary>
    /// The card for <paramref name="url"/> and how it was made: every field's candidates, their sources and why each
    /// won or lost (what <c>stoa previews inspect</c> prints). The same code path as <see cref="GetAsync(Uri, CancellationToken)"/>,
    /// without a cache.
    /// </summary>
    /// <param name="savedPage">
    /// A saved copy of the page: read as if <paramref name="url"/> had answered with these bytes (the same reading,
    /// charset detection and extraction), instead of fetching it.
    /// </param>
    /// <param name="headerCharset">For a saved page: the charset its Content-Type header would have named, if any.</param>
    /// <param name="offline">Fetch neither the oEmbed document nor the manifest.</param>
    /// <exception cref="PreviewException">With a code from <see cref="PreviewErrors"/> (when fetching).</exception>
    public async Task<PreviewInspection> InspectAsync(Uri url, byte[]? savedPage, string? headerCharset, bool offline, CancellationToken cancellationToken)
    {
        var report = new List<FieldDecision>();
        var built = await BuildAsync(url, savedPage, headerCharset, offline, report, cancellationToken);
        return new PreviewInspection(built.Card, report, built.Facts);
    }

    /// <summary>The breaker state of every host currently tracked (for the breaker-state metric or a status page).</summary>
    public IReadOnlyList<BreakerStateChange> GetBreakerStates() => [.. _breakers.Snapshot()];

    /// <summary>The breaker state of <paramref name="host"/> (host, or host:port for a non-default port).</summary>
    public BreakerState GetBreakerState(string host) => _breakers.GetState(host);

    public void Dispose()
    {
        _client.Dispose();
        _metrics.Dispose();
    }

    /// <summary>
    /// The card <paramref name="page"/> yields as <paramref name="url"/>'s body, with no network at all: the API's path
    /// after the fetch (body reader and head gate, charset detection, extraction, merge). For benchmarks and tests.
    /// </summary>
    internal async Task<LinkCard> CardFromPageAsync(Uri url, byte[] page, string? headerCharset, CancellationToken cancellationToken) =>
        (await BuildAsync(url, page, headerCharset, offline: true, report: null, cancellationToken)).Card;

    private async Task<Built> BuildAsync(
        Uri url, byte[]? savedPage, string? headerCharset, bool offline, List<FieldDecision>? report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);

        // Refuse before any timer or socket exists; the fetcher re-checks every hop anyway. A saved page is not fetched:
        // its URL is only its base, and what it links to is checked when fetched.
        if (savedPage is null)
        {
            _policy.Validate(url);
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_options.Timeout);
        try
        {
            var probe = new HeadProbe();
            var response = savedPage is null
                ? await _fetcher.FetchAsync(url, FetchPurpose.Page, cancellationToken, deadline.Token, probe)
                : await ReadSavedAsync(url, savedPage, headerCharset, probe, deadline.Token);
            if (!response.IsHtml)
            {
                return new Built(FileCard.Build(response), response.MaxAge,
                    new PageFacts(0, string.Empty, "not html", false, [], null, null, null, 0));
            }

            var started = Stopwatch.GetTimestamp();
            var body = response.Body ?? [];
            var (encoding, bomLength, charsetSource) = CharsetDetector.Detect(body, response.Charset);
            var html = encoding.GetString(body.AsSpan(bomLength));
            var page = PageExtractor.Extract(html, response.FinalUrl, probe.Reuse(response.FinalUrl, encoding, html, PageExtractor.HeadEnd(html)));
            var extracting = Stopwatch.GetElapsedTime(started);

            var oembedTarget = OEmbedTarget(page, response.FinalUrl, url, Registry);
            var manifestUrl = NeedsManifest(page) && Uri.TryCreate(page.ManifestUrl, UriKind.Absolute, out var manifest) ? manifest : null;
            var oembedTask = !offline && _options.FetchOEmbed && oembedTarget is { } target
                ? TryFetchJsonAsync(target.Url, FetchPurpose.OEmbed, cancellationToken, deadline.Token)
                : Task.FromResult<UpstreamResponse?>(null);
            var manifestTask = !offline && manifestUrl is not null
                ? TryFetchJsonAsync(manifestUrl, FetchPurpose.Manifest, cancellationToken, deadline.Token)
                : Task.FromResult<UpstreamResponse?>(null);
            await Task.WhenAll(oembedTask, manifestTask);

            started = Stopwatch.GetTimestamp();
            var candidates = new CandidateList();
            candidates.AddRange(page.Candidates);
            var oembedResponse = await oembedTask;
            var oembed = oembedResponse?.Body is { } oembedBody && !oembedResponse.Truncated ? OEmbedExtractor.Parse(oembedBody, oembedResponse.FinalUrl) : null;
            if (oembed is not null)
            {
                candidates.AddRange(oembed.Candidates);
            }

            var manifestResponse = await manifestTask;
            if (manifestResponse?.Body is { } manifestBody && !manifestResponse.Truncated
                && ManifestExtractor.Parse(manifestBody, manifestResponse.FinalUrl) is { } fromManifest)
            {
                candidates.AddRange(fromManifest);
            }

            var card = CardMerger.Merge(response.FinalUrl, response.MediaType, candidates, oembed?.Embed, report);
            var elapsed = (probe.Elapsed + extracting + Stopwatch.GetElapsedTime(started)).TotalMilliseconds;
            var readPastHead = !(probe.Decided && probe.Missing.Count == 0);
            _metrics.RecordExtraction(elapsed, readPastHead ? "full" : "head");
            var facts = new PageFacts(
                body.Length, encoding.WebName, charsetSource, readPastHead, probe.Missing,
                oembedTarget?.Url.AbsoluteUri, oembedTarget?.Source, manifestUrl?.AbsoluteUri, elapsed);
            return new Built(card, response.MaxAge, facts);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new PreviewException(PreviewErrors.UpstreamTimeout, innerException: ex);
        }
    }

    /// <summary>A saved page, read through the same body reader as a fetched one (the same cap, the same stop at a sufficient head).</summary>
    private async Task<UpstreamResponse> ReadSavedAsync(Uri url, byte[] page, string? headerCharset, HeadProbe probe, CancellationToken cancellationToken)
    {
        using var stream = new MemoryStream(page, writable: false);
        var body = await BodyReader.ReadAsync(
            stream, [], _options.MaxBodyBytes, _options.MaxDecompressionRatio, head => probe.HeadSuffices(url, headerCharset, head), cancellationToken);
        return new UpstreamResponse(url, 200, "text/html", headerCharset, page.Length, null, body.Bytes, body.Truncated, null);
    }

    /// <summary>The page's own oEmbed link, else the registry's endpoint for its final or requested URL.</summary>
    private static (Uri Url, string Source)? OEmbedTarget(ExtractedPage page, Uri finalUrl, Uri requestedUrl, OEmbedRegistry registry)
    {
        if (page.OEmbedUrl is { } discovered && Uri.TryCreate(discovered, UriKind.Absolute, out var discoveredUrl))
        {
            return (discoveredUrl, "discovery");
        }

        return (registry.Find(finalUrl) ?? registry.Find(requestedUrl)) is { } known ? (known.Url, "registry") : null;
    }

    /// <summary>The manifest is worth a request only when the page names no better logo than its icons.</summary>
    private bool NeedsManifest(ExtractedPage page) =>
        _options.FetchManifest && page.ManifestUrl is not null
        && !page.Candidates.Items.Any(c => c.Field == CardField.Logo && Sources.Rank(CardField.Logo, c.Source) < Sources.Rank(CardField.Logo, Sources.ManifestIcon));

    private async Task<UpstreamResponse?> TryFetchJsonAsync(Uri url, FetchPurpose purpose, CancellationToken cancellationToken, CancellationToken deadline)
    {
        if (SecondaryFetch is { } answer)
        {
            return answer(url, purpose);
        }

        // The page is already in hand: a slow oEmbed or manifest endpoint may cost at most half the budget, not all that is left.
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(deadline);
        budget.CancelAfter(_options.Timeout / 2);
        try
        {
            return await _fetcher.FetchAsync(url, purpose, cancellationToken, budget.Token);
        }
        catch (PreviewException)
        {
            // They only enrich a card; their endpoint failing (or being refused by the policy) must not fail the preview.
            return null;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The deadline ran out during the request: the page itself was fetched in time, so answer with it.
            return null;
        }
    }

    private sealed record Built(LinkCard Card, TimeSpan? MaxAge, PageFacts Facts);

    private static void Validate(PreviewOptions options)
    {
        if (Problems(options).FirstOrDefault() is { } problem)
        {
            throw new ArgumentException("Previews:" + problem, nameof(options));
        }
    }

    /// <summary>
    /// Every invalid setting, each named by its key under <c>Stoa:Previews</c>. The host checks these at start-up, since
    /// the service itself is built on the first preview, where a bad setting would otherwise be a 500.
    /// </summary>
    public static string? GrpcUrlProblem(string? url) =>
        string.IsNullOrWhiteSpace(url) || GrpcTargets(url) is not null
            ? null
            : $"GrpcUrl: '{url}' is neither http(s):// URLs of nodes that serve gRPC (their Stoa:GrpcUrls, ';'-separated, all of one "
              + "scheme) nor one dns:///host:port name whose addresses are those nodes.";

    /// <summary>
    /// The addresses in <c>Stoa:Previews:GrpcUrl</c>: one or more http(s) URLs of one scheme, or a single
    /// <c>dns:///host:port</c>; null when it is neither.
    /// </summary>
    public static IReadOnlyList<Uri>? GrpcTargets(string url)
    {
        var parts = url.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var targets = new List<Uri>();
        foreach (var part in parts)
        {
            if (!Uri.TryCreate(part, UriKind.Absolute, out var parsed))
            {
                return null;
            }

            targets.Add(parsed);
        }

        return targets switch
        {
            [{ Scheme: "dns", AbsolutePath.Length: > 1 }] => targets,
            [{ Scheme: "http" or "https" } first, ..] when targets.All(t => t.Scheme == first.Scheme && t.AbsolutePath == "/") => targets,
            _ => null,
        };
    }

    public static IEnumerable<string> Problems(PreviewOptions options)
    {
        for (var i = 0; i < options.AllowedNetworks.Length; i++)
        {
            if (!AddressPolicy.TryParseNetwork(options.AllowedNetworks[i], out _))
            {
                yield return $"AllowedNetworks:{i}: '{options.AllowedNetworks[i]}' is not an address or a CIDR range such as 10.1.0.0/16.";
            }
        }

        foreach (var port in options.AllowedPorts.Where(p => p is < 1 or > 65535))
        {
            yield return $"AllowedPorts: {port} is not a TCP port (1-65535).";
        }

        if (options.Timeout <= TimeSpan.Zero || options.Timeout > TimeSpan.FromMinutes(10))
        {
            yield return "Timeout: must be more than 0 and at most 00:10:00.";
        }

        if (options.MaxBodyBytes is < 1024 or > 256 * 1024 * 1024)
        {
            yield return "MaxBodyBytes: must be between 1024 and 268435456.";
        }

        if (GrpcUrlProblem(options.GrpcUrl) is { } grpcUrl)
        {
            yield return grpcUrl;
        }

        if (options.MaxDecompressionRatio < 1)
        {
            yield return "MaxDecompressionRatio: must be at least 1.";
        }

        if (options.MaxRedirects is < 0 or > 20)
        {
            yield return "MaxRedirects: must be between 0 and 20.";
        }

        if (options.MaxTrackedHosts < 1)
        {
            yield return "MaxTrackedHosts: must be at least 1.";
        }

        if (string.IsNullOrWhiteSpace(options.UserAgent))
        {
            yield return "UserAgent: must not be empty.";
        }

        foreach (var problem in HostCircuitBreakers.Problems(options))
        {
            yield return problem;
        }
    }
}
