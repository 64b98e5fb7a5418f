using Stoa.Previews.Core;

namespace Stoa.Previews.Extraction;

/// <summary>
/// Accumulates the structured properties that follow a media tag (og:image, then og:image:width…) until the next one.
/// </summary>
internal sealed class MediaBuilder
{
    public string? Url { get; set; }

    public bool HasExplicitUrl { get; set; }

    public int? Width { get; set; }

    public int? Height { get; set; }

    public string? Alt { get; set; }

    public string? Type { get; set; }

    public LinkImage? ToImage() => Url is null ? null : new LinkImage(Url, Width, Height, Alt, Type);

    public LinkVideo? ToVideo() => Url is null ? null : new LinkVideo(Url, Width, Height, Type);

    public LinkAudio? ToAudio() => Url is null ? null : new LinkAudio(Url, Type);
}
