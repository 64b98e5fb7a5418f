using Stoa.Previews.Core;

namespace Stoa.Previews.Extraction;

/// <summary>An oEmbed answer: what it says about the page, and the embed itself.</summary>
internal sealed record OEmbedDocument(CandidateList Candidates, LinkEmbed Embed);
