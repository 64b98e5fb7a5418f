using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Stoa.Previews.Core;

namespace Stoa.Previews.Fetching;

/// <summary>
/// Fetches a URL safely: every hop is validated by <see cref="UrlPolicy"/>, its name resolved once and every address
/// checked, the connection made to a checked address, and the request run through the host's circuit breaker.
/// Redirects are followed here, hop by hop, so that each new location gets the same checks.
/// </summary>
internal sealed class UpstreamFetcher
{
    private const int MaxOEmbedBytes = 256 * 1024;
    private const int MaxManifestBytes = 128 * 1024;

    private readonly PreviewOptions _options;
    private readonly UrlPolicy _policy;
    private readonly IHostResolver _resolver;
    private readonly HostCircuitBreakers _breakers;
    private readonly PreviewMetrics _metrics;
    private readonly HttpClient _client;

    public UpstreamFetcher(
        PreviewOptions options, UrlPolicy policy, IHostResolver resolver, HostCircuitBreakers breakers, PreviewMetrics metrics, HttpClient client)
    {
        _options = options;
        _policy = policy;
        _resolver = resolver;
        _breakers = breakers;
        _metrics = metrics;
        _client = client;
    }

    /// <param name="callerToken">The caller's cancellation: an OperationCanceledException, never a timeout.</param>
    /// <param name="deadlineToken">The caller's token linked with the preview's deadline.</param>
    /// <param name="headProbe">For a page: decides at &lt;/head&gt; whether the rest of the body is read.</param>
    public async Task<UpstreamResponse> FetchAsync(
        Uri url, FetchPurpose purpose, CancellationToken callerToken, CancellationToken deadlineToken, Extraction.HeadProbe? headProbe = null)
    {
        var current = url;
        for (var redirects = 0; ; redirects++)
        {
            var target = _policy.Validate(current);
            var hop = await _breakers.ExecuteAsync(
                target.HostKey, token => SendAsync(target, purpose, headProbe, callerToken, token), deadlineToken);
            if (hop.Response is not null)
            {
                return hop.Response;
            }

            if (redirects >= _options.MaxRedirects)
            {
                throw new PreviewException(PreviewErrors.UpstreamTooManyRedirects);
            }

            current = hop.RedirectTo!;
        }
    }

    private async ValueTask<Hop> SendAsync(FetchTarget target, FetchPurpose purpose, Extraction.HeadProbe? headProbe, CancellationToken callerToken, CancellationToken token)
    {
        var started = Stopwatch.GetTimestamp();
        var outcome = "ok";
        using var span = _metrics.StartFetch(purpose == FetchPurpose.Page ? "page" : "oembed", target.Uri);
        try
        {
            var addresses = target.Address is { } literal ? [literal] : await ResolveAsync(target.DnsName!, token);

            using var request = new HttpRequestMessage(HttpMethod.Get, target.Uri);
            request.Headers.TryAddWithoutValidation("User-Agent", _options.UserAgent);
            request.Headers.TryAddWithoutValidation("Accept", purpose switch
            {
                FetchPurpose.Page => "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8",
                FetchPurpose.Manifest => "application/manifest+json,application/json;q=0.9,*/*;q=0.5",
                _ => "application/json,text/json;q=0.9,*/*;q=0.5",
            });
            request.Headers.TryAddWithoutValidation("Accept-Encoding", "gzip, deflate, br");
            request.Options.Set(SafeHttpClient.CheckedAddresses, addresses);

            HttpResponseMessage response;
            try
            {
                response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, token);
            }
            catch (HttpRequestException ex)
            {
                throw new PreviewException(PreviewErrors.UpstreamUnreachable, innerException: ex);
            }

            using (response)
            {
                var status = (int)response.StatusCode;
                if (status is 301 or 302 or 303 or 307 or 308 && response.Headers.Location is { } location)
                {
                    // A Location that is no absolute URL even against this hop is the site's error, not the caller's.
                    var next = Resolve(target.Uri, location);
                    if (!next.IsAbsoluteUri || next.OriginalString.Length > UrlPolicy.MaxUrlLength)
                    {
                        throw new PreviewException(PreviewErrors.UpstreamStatus, "The site redirected to an invalid URL.") { UpstreamStatus = status };
                    }

                    outcome = "redirect";
                    return new Hop(null, next);
                }

                if (status is < 200 or >= 300)
                {
                    throw new PreviewException(PreviewErrors.UpstreamStatus, $"The site answered with HTTP {status}.") { UpstreamStatus = status };
                }

                return new Hop(await ReadAsync(target.Uri, response, purpose, headProbe, token), null);
            }
        }
        catch (OperationCanceledException ex) when (!callerToken.IsCancellationRequested)
        {
            outcome = "timeout";
            // The preview's one deadline spans every hop: a page that answers just before it, then points at another
            // host (oEmbed, a redirect), leaves that host crumbs. Charging its breaker for them would let any page
            // open a popular host's breaker for every app on the node, so a host is charged only when it had at
            // least a quarter of the budget to itself.
            throw new PreviewException(PreviewErrors.UpstreamTimeout, innerException: ex)
            {
                ChargedToHost = Stopwatch.GetElapsedTime(started) >= _options.Timeout / 4,
            };
        }
        catch (IOException ex)
        {
            outcome = "unreachable";
            throw new PreviewException(PreviewErrors.UpstreamUnreachable, innerException: ex);
        }
        catch (PreviewException ex)
        {
            outcome = ex.Code switch
            {
                PreviewErrors.UpstreamStatus => "status",
                PreviewErrors.UpstreamUnreachable => "unreachable",
                PreviewErrors.UpstreamTooLarge => "too_large",
                _ => "not_allowed",
            };
            throw;
        }
        catch (OperationCanceledException)
        {
            outcome = "canceled";
            throw;
        }
        finally
        {
            _metrics.RecordUpstream(Stopwatch.GetElapsedTime(started).TotalMilliseconds, outcome);
            span?.SetTag("stoa.previews.outcome", outcome);
            if (outcome is not ("ok" or "redirect"))
            {
                span?.SetStatus(ActivityStatusCode.Error, outcome);
            }
        }
    }

    private async Task<IPAddress[]> ResolveAsync(string name, CancellationToken token)
    {
        IPAddress[] resolved;
        try
        {
            resolved = await _resolver.ResolveAsync(name, token);
        }
        catch (SocketException ex)
        {
            throw NoUsableAddress(ex);
        }

        var addresses = resolved
            .Where(a => a.AddressFamily is AddressFamily.InterNetwork or AddressFamily.InterNetworkV6)
            .Distinct()
            .ToArray();

        // One forbidden address is enough to refuse: otherwise which address we end up using is the attacker's choice.
        if (addresses.Length == 0 || addresses.Any(a => !_policy.Addresses.IsAllowed(a)))
        {
            throw NoUsableAddress(null);
        }

        return addresses;
    }

    /// <summary>
    /// The one answer for a name that does not resolve and for one that resolves to a refused address: were they told
    /// apart, previewing made-up names would map which internal names exist.
    /// </summary>
    private static PreviewException NoUsableAddress(Exception? inner) =>
        new(PreviewErrors.UpstreamUnreachable, "The site's name does not resolve to an address previews may contact.", inner);

    private async Task<UpstreamResponse> ReadAsync(Uri url, HttpResponseMessage response, FetchPurpose purpose, Extraction.HeadProbe? headProbe, CancellationToken token)
    {
        var headers = response.Content.Headers;
        var mediaType = headers.ContentType?.MediaType?.Trim().ToLowerInvariant();
        var charset = headers.ContentType?.CharSet;
        var fileName = headers.ContentDisposition?.FileNameStar ?? headers.ContentDisposition?.FileName?.Trim('"');
        var isHtml = mediaType is null or "text/html" or "application/xhtml+xml";

        byte[]? body = null;
        var truncated = false;
        if (purpose != FetchPurpose.Page || isHtml)
        {
            await using var wire = await response.Content.ReadAsStreamAsync(token);
            var read = await BodyReader.ReadAsync(
                wire,
                [.. headers.ContentEncoding],
                purpose switch
                {
                    FetchPurpose.OEmbed => Math.Min(MaxOEmbedBytes, _options.MaxBodyBytes),
                    FetchPurpose.Manifest => Math.Min(MaxManifestBytes, _options.MaxBodyBytes),
                    _ => _options.MaxBodyBytes,
                },
                _options.MaxDecompressionRatio,
                purpose == FetchPurpose.Page && headProbe is not null ? head => headProbe.HeadSuffices(url, charset, head) : null,
                token);
            _metrics.RecordBytes(read.WireBytes);
            body = read.Bytes;
            truncated = read.Truncated;
        }

        return new UpstreamResponse(
            url, (int)response.StatusCode, mediaType, charset, headers.ContentLength, fileName, body, truncated, CacheLifetime.From(response));
    }

    private static Uri Resolve(Uri current, Uri location)
    {
        // On Unix, Uri reads a Location of "/path" as an absolute file:// URI; it is a path relative to the hop.
        if (location.IsAbsoluteUri && !(location.IsFile && location.OriginalString.StartsWith('/')))
        {
            return location;
        }

        if (location.IsAbsoluteUri)
        {
            location = new Uri(location.OriginalString, UriKind.Relative);
        }

        // An unparseable Location yields a URL the next hop's validation rejects with invalid_url.
        return Uri.TryCreate(current, location, out var next) ? next : location;
    }

    private readonly record struct Hop(UpstreamResponse? Response, Uri? RedirectTo);
}
