namespace Stoa.Previews.Extraction;

/// <summary>What each source says about a page, and the oEmbed endpoint it advertises.</summary>
internal sealed record ExtractedPage(
    PageMetadata OpenGraph, PageMetadata Twitter, PageMetadata JsonLd, PageMetadata Html, string? OEmbedUrl);
