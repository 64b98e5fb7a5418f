using Stoa.Previews.Core;

namespace Stoa.Previews.Extraction;

/// <summary>
/// What one source (Open Graph, Twitter, JSON-LD, oEmbed, plain HTML) says about a page. URLs are already absolute;
/// texts are raw and get cleaned and capped once, by <see cref="CardMerger"/>.
/// </summary>
internal sealed class PageMetadata
{
    public string? Title { get; set; }

    public string? Description { get; set; }

    public string? CanonicalUrl { get; set; }

    public string? SiteName { get; set; }

    public string? Type { get; set; }

    public string? Locale { get; set; }

    public string? Author { get; set; }

    public DateTimeOffset? PublishedAt { get; set; }

    public string? Favicon { get; set; }

    public string? Logo { get; set; }

    public string? ThemeColor { get; set; }

    public List<LinkImage> Images { get; } = [];

    public List<LinkVideo> Videos { get; } = [];

    public List<LinkAudio> Audios { get; } = [];
}
