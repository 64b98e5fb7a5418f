using Stoa.Previews.Core;

namespace Stoa.Previews.Extraction;

/// <summary>A parsed oEmbed answer: the card fields it can supply, and the embed itself.</summary>
internal sealed record OEmbedDocument(PageMetadata Metadata, LinkEmbed Embed);
