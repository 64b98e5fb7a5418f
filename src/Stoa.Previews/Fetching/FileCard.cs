using Stoa.Previews.Core;
using Stoa.Previews.Extraction;

namespace Stoa.Previews.Fetching;

/// <summary>The card of a resource that is not HTML (an image, PDF, video…): described from its headers alone.</summary>
internal static class FileCard
{
    public static LinkCard Build(UpstreamResponse response)
    {
        var url = response.FinalUrl.AbsoluteUri;
        var mediaType = response.MediaType;
        var type = mediaType switch
        {
            not null when mediaType.StartsWith("image/", StringComparison.Ordinal) => "image",
            not null when mediaType.StartsWith("video/", StringComparison.Ordinal) => "video",
            not null when mediaType.StartsWith("audio/", StringComparison.Ordinal) => "audio",
            "application/pdf" => "document",
            _ => "file",
        };

        return new LinkCard
        {
            Url = url,
            Title = TextNormalizer.Clean(FileName(response), TextNormalizer.MaxTitle),
            Type = type,
            ContentType = mediaType,
            ContentLength = response.ContentLength,
            Images = type == "image" ? [new LinkImage(url, Type: mediaType)] : [],
            Videos = type == "video" ? [new LinkVideo(url, Type: mediaType)] : [],
            Audios = type == "audio" ? [new LinkAudio(url, mediaType)] : [],
        };
    }

    private static string? FileName(UpstreamResponse response)
    {
        if (!string.IsNullOrWhiteSpace(response.FileName))
        {
            // Only the name: a Content-Disposition may carry a path.
            return Path.GetFileName(response.FileName.Replace('\\', '/'));
        }

        var segment = response.FinalUrl.Segments.LastOrDefault()?.Trim('/');
        return string.IsNullOrEmpty(segment) ? response.FinalUrl.IdnHost : Uri.UnescapeDataString(segment);
    }
}
