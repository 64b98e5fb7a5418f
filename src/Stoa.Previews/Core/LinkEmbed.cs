namespace Stoa.Previews.Core;

/// <summary>
/// The oEmbed answer merged into a card. <see cref="Html"/> is the provider's markup for video/rich embeds: it is
/// upstream-controlled, so clients must only render it inside a sandboxed iframe.
/// </summary>
internal sealed record LinkEmbed
{
    /// <summary>photo, video, link or rich.</summary>
    public string? Type { get; init; }

    public string? ProviderName { get; init; }

    public string? ProviderUrl { get; init; }

    public string? Html { get; init; }

    public int? Width { get; init; }

    public int? Height { get; init; }
}
