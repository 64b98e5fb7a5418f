using Stoa.Previews.Core;

namespace Stoa.Previews.Extraction;

/// <summary>Twitter/X card tags: twitter:title, :description, :image (+ :alt), :player, :creator.</summary>
internal static class TwitterCardExtractor
{
    public static PageMetadata Extract(PageContext page)
    {
        var result = new PageMetadata
        {
            Title = page.First("twitter:title"),
            Description = page.First("twitter:description"),
            CanonicalUrl = page.Resolve(page.First("twitter:url")),
            Author = page.First("twitter:creator"),
        };

        MediaBuilder? current = null;
        foreach (var (key, content) in page.Meta)
        {
            switch (key)
            {
                case "twitter:image" or "twitter:image:src":
                    var url = page.Resolve(content);
                    if (current is null || current.Url != url)
                    {
                        current = new MediaBuilder { Url = url };
                        if (current.ToImage() is { } image)
                        {
                            result.Images.Add(image);
                        }
                    }

                    break;
                case "twitter:image:alt" when current?.Url is not null && current.Alt is null:
                    current.Alt = content;
                    Replace(result.Images, current);
                    break;
                case "twitter:image:width" when current?.Url is not null && current.Width is null:
                    current.Width = PageContext.ParseDimension(content);
                    Replace(result.Images, current);
                    break;
                case "twitter:image:height" when current?.Url is not null && current.Height is null:
                    current.Height = PageContext.ParseDimension(content);
                    Replace(result.Images, current);
                    break;
            }
        }

        if (page.Resolve(page.First("twitter:player:stream")) is { } stream)
        {
            result.Videos.Add(new LinkVideo(
                stream,
                PageContext.ParseDimension(page.First("twitter:player:width")),
                PageContext.ParseDimension(page.First("twitter:player:height")),
                page.First("twitter:player:stream:content_type")));
        }

        if (page.Resolve(page.First("twitter:player")) is { } player)
        {
            result.Videos.Add(new LinkVideo(
                player,
                PageContext.ParseDimension(page.First("twitter:player:width")),
                PageContext.ParseDimension(page.First("twitter:player:height")),
                "text/html"));
        }

        if (string.Equals(page.First("twitter:card")?.Trim(), "player", StringComparison.OrdinalIgnoreCase))
        {
            result.Type = "video";
        }

        return result;
    }

    private static void Replace(List<LinkImage> images, MediaBuilder current)
    {
        if (images.Count > 0 && current.ToImage() is { } image)
        {
            images[^1] = image;
        }
    }
}
