namespace Stoa.Previews.Core;

/// <summary>
/// A card and how it was made, as <c>stoa previews inspect</c> prints it: for each field, every candidate value the
/// page offered, where it came from, and why it won or lost.
/// </summary>
internal sealed record PreviewInspection(LinkCard Card, IReadOnlyList<FieldDecision> Fields, PageFacts Facts);

/// <summary>One card field: its value and the candidates in precedence order.</summary>
internal sealed record FieldDecision(string Field, string? Value, IReadOnlyList<CandidateOutcome> Candidates);

/// <summary>
/// A candidate for a field. <see cref="Outcome"/> is <c>chosen</c>, <c>listed</c> (a further item of a media list),
/// <c>lower priority</c>, <c>duplicate</c>, <c>lower tier</c> (an image tier below the chosen one) or
/// <c>rejected: …</c> with the reason.
/// </summary>
internal sealed record CandidateOutcome(string Source, string Value, string Outcome);

/// <summary>How the page was read.</summary>
/// <param name="Bytes">Body bytes extracted from (after decompression, within the cap).</param>
/// <param name="Charset">The encoding the body was decoded with.</param>
/// <param name="CharsetSource">bom, header, meta, default, or how a declaration was corrected from the bytes.</param>
/// <param name="ReadPastHead">Whether the body after &lt;/head&gt; was read (false: the head had everything, or the page ended there).</param>
/// <param name="MissingAfterHead">What the head lacked when it ended: the fields the body was read for.</param>
/// <param name="OEmbedUrl">The oEmbed endpoint requested, if any.</param>
/// <param name="OEmbedSource">discovery (the page's link) or registry (the bundled oEmbed provider list).</param>
/// <param name="ManifestUrl">The web app manifest requested for a logo, if any.</param>
/// <param name="ExtractMilliseconds">CPU-bound extraction time: the head gate, decode, parse, scan, merge (no network).</param>
internal sealed record PageFacts(
    int Bytes,
    string Charset,
    string CharsetSource,
    bool ReadPastHead,
    IReadOnlyList<string> MissingAfterHead,
    string? OEmbedUrl,
    string? OEmbedSource,
    string? ManifestUrl,
    double ExtractMilliseconds);
