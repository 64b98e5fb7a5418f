namespace Stoa.Previews.Extraction;

/// <summary>Open Graph (ogp.me) tags, including structured og:image/og:video/og:audio arrays and article:*.</summary>
internal static class OpenGraphExtractor
{
    public static PageMetadata Extract(PageContext page)
    {
        var result = new PageMetadata
        {
            Title = page.First("og:title"),
            Description = page.First("og:description"),
            CanonicalUrl = page.Resolve(page.First("og:url")),
            SiteName = page.First("og:site_name"),
            Type = page.First("og:type"),
            Locale = page.First("og:locale"),
            Logo = page.Resolve(page.First("og:logo")),
            PublishedAt = PageContext.ParseDate(page.First("article:published_time", "og:published_time", "video:release_date")),
        };

        // article:author is usually a profile URL; a name is only worth showing when it is not one.
        var author = page.First("article:author", "book:author", "og:author");
        if (author is not null && !author.Contains("://", StringComparison.Ordinal))
        {
            result.Author = author;
        }

        var images = Collect(page, "og:image");
        result.Images.AddRange(images.Select(m => m.ToImage()).OfType<Core.LinkImage>());
        result.Videos.AddRange(Collect(page, "og:video").Select(m => m.ToVideo()).OfType<Core.LinkVideo>());
        result.Audios.AddRange(Collect(page, "og:audio").Select(m => m.ToAudio()).OfType<Core.LinkAudio>());
        return result;
    }

    /// <summary>
    /// Reads a structured property array: each <paramref name="root"/> (or root:url after a complete one) starts a new
    /// item; root:secure_url, :width, :height, :alt and :type describe the item before them.
    /// </summary>
    private static List<MediaBuilder> Collect(PageContext page, string root)
    {
        var items = new List<MediaBuilder>();
        MediaBuilder? current = null;
        foreach (var (key, content) in page.Meta)
        {
            if (!key.StartsWith(root, StringComparison.Ordinal))
            {
                continue;
            }

            var property = key.Length == root.Length ? string.Empty : key[root.Length..];
            switch (property)
            {
                case "":
                    current = new MediaBuilder { Url = page.Resolve(content) };
                    items.Add(current);
                    break;
                case ":url":
                    // og:image:url repeats the og:image before it; a different URL is a new image.
                    var url = page.Resolve(content);
                    if (current is null || current.HasExplicitUrl || (current.Url is not null && current.Url != url))
                    {
                        current = new MediaBuilder();
                        items.Add(current);
                    }

                    current.HasExplicitUrl = true;
                    current.Url ??= url;
                    break;
                case ":secure_url" when current is not null:
                    // The https variant of the same media: always preferable for a card shown on an https page.
                    current.Url = page.Resolve(content) ?? current.Url;
                    break;
                case ":width" when current is not null:
                    current.Width ??= PageContext.ParseDimension(content);
                    break;
                case ":height" when current is not null:
                    current.Height ??= PageContext.ParseDimension(content);
                    break;
                case ":alt" when current is not null:
                    current.Alt ??= content;
                    break;
                case ":type" when current is not null:
                    current.Type ??= content.Trim().ToLowerInvariant();
                    break;
            }
        }

        return items;
    }
}
