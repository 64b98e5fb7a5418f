using System.Diagnostics.Metrics;
using Stoa.Foundation.Telemetry;
using Stoa.Previews.Core;
using Stoa.Previews.Extraction;

namespace Stoa.Previews.Fetching;

/// <summary>
/// The card of a page, for Core's <see cref="IPageCards"/>: validates a URL, fetches it safely (SSRF policy, per-host
/// circuit breaker, deadline, size caps), extracts a link card and merges the page's oEmbed. One instance per process:
/// it owns the HttpClient, the breakers and the meter. Thread-safe.
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
        ArgumentNullException.ThrowIfNull(url);

        // Refuse before any timer or socket exists; the fetcher re-checks every hop anyway.
        _policy.Validate(url);

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_options.Timeout);
        try
        {
            var response = await _fetcher.FetchAsync(url, FetchPurpose.Page, cancellationToken, deadline.Token);
            if (!response.IsHtml)
            {
                return new PreviewResult(FileCard.Build(response), response.MaxAge);
            }

            var html = CharsetDetector.Decode(response.Body, response.Charset);
            var page = PageExtractor.Extract(html, response.FinalUrl);
            OEmbedDocument? oembed = null;
            if (_options.FetchOEmbed && page.OEmbedUrl is not null)
            {
                oembed = await TryFetchOEmbedAsync(new Uri(page.OEmbedUrl), cancellationToken, deadline.Token);
            }

            return new PreviewResult(CardMerger.Merge(response.FinalUrl, response.MediaType, page, oembed), response.MaxAge);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new PreviewException(PreviewErrors.UpstreamTimeout, innerException: ex);
        }
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

    private async Task<OEmbedDocument?> TryFetchOEmbedAsync(Uri url, CancellationToken cancellationToken, CancellationToken deadline)
    {
        // The page is already in hand: a slow oEmbed endpoint may cost at most half the budget, not all that is left.
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(deadline);
        budget.CancelAfter(_options.Timeout / 2);
        try
        {
            var response = await _fetcher.FetchAsync(url, FetchPurpose.OEmbed, cancellationToken, budget.Token);
            return response.Body is { } body && !response.Truncated ? OEmbedExtractor.Parse(body, response.FinalUrl) : null;
        }
        catch (PreviewException)
        {
            // oEmbed only enriches a card; its endpoint failing (or being refused by the policy) must not fail the preview.
            return null;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The deadline ran out during the oEmbed request: the page itself was fetched in time, so answer with it.
            return null;
        }
    }

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
