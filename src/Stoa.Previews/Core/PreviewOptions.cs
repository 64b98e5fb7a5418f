namespace Stoa.Previews.Core;

/// <summary>
/// Settings of the previews module (bound from configuration section <c>Stoa:Previews</c> by the host).
/// The defaults are the production policy: public addresses on ports 80/443 only.
/// </summary>
internal sealed class PreviewOptions
{
    /// <summary>Sent on every upstream request so site owners can identify and contact us.</summary>
    public string UserAgent { get; set; } = "StoaPreviews/1.0 (+https://github.com/stoa)";

    /// <summary>Deadline for the whole preview: every redirect hop, the body and the oEmbed request.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Body bytes kept after decompression; an HTML page is parsed from what fits.</summary>
    public int MaxBodyBytes { get; set; } = 2 * 1024 * 1024;

    /// <summary>Decompressed/compressed bytes above which a body is refused as a compression bomb.</summary>
    public double MaxDecompressionRatio { get; set; } = 100;

    public int MaxRedirects { get; set; } = 5;

    /// <summary>
    /// On nodes that run comments without previews (<c>Stoa:Modules</c>): the gRPC address of the nodes that run
    /// previews (<c>http://previews:9090</c>, their <c>Stoa:GrpcUrls</c>), through which comments unfurl links. Read by
    /// the composition root; where previews run in the same process it is not used.
    /// </summary>
    public string? GrpcUrl { get; set; }

    /// <summary>Ports a URL or redirect may name. Replaces, not extends, the default when configured.</summary>
    public int[] AllowedPorts { get; set; } = [80, 443];

    /// <summary>
    /// CIDR ranges (<c>127.0.0.1/32</c>, <c>10.1.0.0/16</c>, <c>fd00::/8</c>) that are allowed even though they are
    /// loopback, private, link-local… Empty by default: nothing but public unicast is ever contacted.
    /// </summary>
    public string[] AllowedNetworks { get; set; } = [];

    /// <summary>
    /// Whether a page's oEmbed document is fetched and merged: the one its <c>application/json+oembed</c> link names, else
    /// the one the bundled oEmbed provider registry knows for its URL (YouTube, Vimeo, X, Spotify, SoundCloud, TikTok…).
    /// </summary>
    public bool FetchOEmbed { get; set; } = true;

    /// <summary>
    /// Whether a page's web app manifest is fetched for its icons, when the page declares no better logo (JSON-LD
    /// publisher logo, og:logo, apple-touch-icon).
    /// </summary>
    public bool FetchManifest { get; set; } = true;

    /// <summary>Failure ratio within <see cref="BreakerSamplingDuration"/> that opens a host's breaker.</summary>
    public double BreakerFailureRatio { get; set; } = 0.5;

    /// <summary>Calls a host must receive within the sampling window before its breaker may open (at least 2).</summary>
    public int BreakerMinimumThroughput { get; set; } = 5;

    /// <summary>Window over which failures are counted (at least 500 ms).</summary>
    public TimeSpan BreakerSamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an open breaker keeps the host uncontacted (at least 500 ms).</summary>
    public TimeSpan BreakerBreakDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Hosts whose breaker is remembered; beyond that the least recently used closed ones are forgotten.</summary>
    public int MaxTrackedHosts { get; set; } = 1000;
}
