using System.Text.RegularExpressions;
using Stoa.Previews.Core;

namespace Stoa.Previews.Extraction;

/// <summary>
/// Builds the card: each field comes from the first source that has it, in the order Open Graph, Twitter card,
/// JSON-LD, oEmbed, plain HTML. Media lists are the union of the structured sources (deduplicated by URL, missing
/// details filled from later duplicates); oEmbed's thumbnail and then the page's first image are used only when the
/// structured sources name none. Texts are cleaned and capped here, once.
/// </summary>
internal static partial class CardMerger
{
    public const int MaxImages = 8;
    public const int MaxVideos = 4;
    public const int MaxAudios = 4;

    public static LinkCard Merge(Uri finalUrl, string? contentType, ExtractedPage page, OEmbedDocument? oembed)
    {
        PageMetadata[] sources = oembed is null
            ? [page.OpenGraph, page.Twitter, page.JsonLd, page.Html]
            : [page.OpenGraph, page.Twitter, page.JsonLd, oembed.Metadata, page.Html];
        PageMetadata[] structured = [page.OpenGraph, page.Twitter, page.JsonLd];

        var images = UnionImages(structured.SelectMany(s => s.Images));
        if (images.Count == 0 && oembed is not null)
        {
            images = UnionImages(oembed.Metadata.Images);
        }

        if (images.Count == 0)
        {
            images = UnionImages(page.Html.Images);
        }

        var videos = structured.SelectMany(s => s.Videos).DistinctBy(v => v.Url).Take(MaxVideos).ToList();
        if (videos.Count == 0)
        {
            videos = [.. page.Html.Videos.Take(MaxVideos)];
        }

        var audios = structured.SelectMany(s => s.Audios).DistinctBy(a => a.Url).Take(MaxAudios).ToList();
        if (audios.Count == 0)
        {
            audios = [.. page.Html.Audios.Take(MaxAudios)];
        }

        return new LinkCard
        {
            Url = finalUrl.AbsoluteUri,
            CanonicalUrl = First(sources, s => s.CanonicalUrl),
            Title = First(sources, s => TextNormalizer.Clean(s.Title, TextNormalizer.MaxTitle)),
            Description = First(sources, s => TextNormalizer.Clean(s.Description, TextNormalizer.MaxDescription)),
            SiteName = First(sources, s => TextNormalizer.Clean(s.SiteName, TextNormalizer.MaxShort)),
            Type = First(sources, s => TextNormalizer.Clean(s.Type, 50)?.ToLowerInvariant()) ?? "website",
            Locale = First(sources, s => Locale(s.Locale)),
            Author = First(sources, s => TextNormalizer.Clean(s.Author, TextNormalizer.MaxShort)),
            PublishedAt = sources.Select(s => s.PublishedAt).FirstOrDefault(d => d is not null),
            Favicon = First(sources, s => s.Favicon),
            Logo = First(sources, s => s.Logo),
            ThemeColor = First(sources, s => ThemeColor(s.ThemeColor)),
            Images = images,
            Videos = videos,
            Audios = audios,
            ContentType = contentType ?? "text/html",
            Embed = oembed?.Embed,
        };
    }

    private static string? First(PageMetadata[] sources, Func<PageMetadata, string?> field)
    {
        foreach (var source in sources)
        {
            if (field(source) is { } value)
            {
                return value;
            }
        }

        return null;
    }

    private static List<LinkImage> UnionImages(IEnumerable<LinkImage> images)
    {
        var result = new List<LinkImage>();
        foreach (var image in images)
        {
            var index = result.FindIndex(i => i.Url == image.Url);
            if (index >= 0)
            {
                var known = result[index];
                result[index] = known with
                {
                    Width = known.Width ?? image.Width,
                    Height = known.Height ?? image.Height,
                    Alt = known.Alt ?? TextNormalizer.Clean(image.Alt, TextNormalizer.MaxAlt),
                    Type = known.Type ?? image.Type,
                };
            }
            else if (result.Count < MaxImages)
            {
                result.Add(image with { Alt = TextNormalizer.Clean(image.Alt, TextNormalizer.MaxAlt) });
            }
        }

        return result;
    }

    /// <summary>BCP 47 form: og:locale's en_US becomes en-US; anything that is no language tag is dropped.</summary>
    private static string? Locale(string? value)
    {
        var cleaned = TextNormalizer.Clean(value, 35)?.Replace('_', '-');
        return cleaned is not null && LocaleRegex().IsMatch(cleaned) ? cleaned : null;
    }

    private static string? ThemeColor(string? value)
    {
        var cleaned = TextNormalizer.Clean(value, 64);
        return cleaned is not null && ColorRegex().IsMatch(cleaned) ? cleaned : null;
    }

    [GeneratedRegex("^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$")]
    private static partial Regex LocaleRegex();

    // Hex, functional (rgb/hsl/…) or named colours: enough to keep markup or script out of a field clients put in CSS.
    [GeneratedRegex(@"^(#[0-9A-Fa-f]{3,8}|[a-z]{3,20}\([0-9.,%\s/a-z-]{1,40}\)|[A-Za-z]{3,30})$")]
    private static partial Regex ColorRegex();
}
