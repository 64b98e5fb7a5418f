namespace Stoa.Previews.Extraction;

/// <summary>Every candidate a page offers, and the documents it points to (resolved, not yet fetched).</summary>
internal sealed record ExtractedPage(CandidateList Candidates, string? OEmbedUrl, string? ManifestUrl);
