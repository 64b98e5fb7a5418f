namespace Stoa.Previews.Core;

/// <summary>
/// The link card the API returns as JSON (property names serialise to camelCase). Every URL is absolute http(s).
/// Texts are entity-decoded, whitespace-normalised and length-capped.
/// </summary>
internal sealed record LinkCard
{
    /// <summary>The URL that was finally fetched, after redirects.</summary>
    public required string Url { get; init; }

    public string? CanonicalUrl { get; init; }

    public string? Title { get; init; }

    public string? Description { get; init; }

    /// <summary>The publisher: JSON-LD publisher.name, og:site_name, application-name…</summary>
    public string? SiteName { get; init; }

    /// <summary>website, article, product, video, image, audio, document, file, or the page's own og:type.</summary>
    public string? Type { get; init; }

    /// <summary>BCP 47 form (en-US), whatever form the page used.</summary>
    public string? Locale { get; init; }

    public IReadOnlyList<LinkImage> Images { get; init; } = [];

    public IReadOnlyList<LinkVideo> Videos { get; init; } = [];

    public IReadOnlyList<LinkAudio> Audios { get; init; } = [];

    /// <summary>A person's name when the page names one (several joined by ", "), else an organization or a handle.</summary>
    public string? Author { get; init; }

    public DateTimeOffset? PublishedAt { get; init; }

    /// <summary>When the page says it was last changed, if it says so.</summary>
    public DateTimeOffset? ModifiedAt { get; init; }

    public string? Favicon { get; init; }

    /// <summary>The publisher's logo, else the site's apple-touch-icon, manifest icon or favicon.</summary>
    public string? Logo { get; init; }

    public string? ThemeColor { get; init; }

    /// <summary>The upstream media type (text/html, image/png, application/pdf…).</summary>
    public string? ContentType { get; init; }

    /// <summary>The upstream Content-Length, when it sent one (set for non-HTML resources).</summary>
    public long? ContentLength { get; init; }

    /// <summary>What the page's oEmbed endpoint said, when it has one.</summary>
    public LinkEmbed? Embed { get; init; }
}
