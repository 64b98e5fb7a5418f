namespace Stoa.Previews.Extraction;

/// <summary>Open Graph (ogp.me) tags, including structured og:image/og:video/og:audio arrays and article:*.</summary>
internal static class OpenGraphExtractor
{
    public static void Extract(PageContext page, CandidateList candidates)
    {
        candidates.Add(CardField.Title, Sources.OgTitle, page.First("og:title"));
        candidates.Add(CardField.Description, Sources.OgDescription, page.First("og:description"));
        candidates.Add(CardField.Url, Sources.OgUrl, page.Resolve(page.First("og:url")));
        candidates.Add(CardField.SiteName, Sources.OgSiteName, page.First("og:site_name"));
        candidates.Add(CardField.Type, Sources.OgType, page.First("og:type"));
        candidates.Add(CardField.Locale, Sources.OgLocale, page.First("og:locale"));
        candidates.Add(CardField.Logo, Sources.OgLogo, page.Resolve(page.First("og:logo")));
        candidates.Add(CardField.Published, Sources.OgPublished, page.First("article:published_time", "og:published_time", "og:article:published_time", "published_time"));
        candidates.Add(CardField.Published, Sources.OgReleaseDate, page.First("video:release_date", "music:release_date", "book:release_date"));
        candidates.Add(CardField.Modified, Sources.OgModified, page.First("article:modified_time", "og:modified_time", "og:article:modified_time", "modified_time"));
        candidates.Add(CardField.Modified, Sources.OgUpdated, page.First("og:updated_time", "updated_time"));

        // Usually a profile URL (refused later); sometimes a name.
        candidates.Add(CardField.Author, Sources.OgAuthor, page.First("article:author", "book:author", "og:author", "og:article:author"));

        foreach (var image in Collect(page, "og:image"))
        {
            candidates.Add(Sources.OgImage, image.ToImage());
        }

        foreach (var video in Collect(page, "og:video"))
        {
            candidates.Add(Sources.OgVideo, video.ToVideo());
        }

        foreach (var audio in Collect(page, "og:audio"))
        {
            candidates.Add(Sources.OgAudio, audio.ToAudio());
        }
    }

    /// <summary>
    /// Reads a structured property array: each <paramref name="root"/> (or root:url after a complete one) starts a new
    /// item; root:secure_url, :width, :height, :alt and :type describe the item before them.
    /// </summary>
    private static List<MediaBuilder> Collect(PageContext page, string root)
    {
        var items = new List<MediaBuilder>();
        MediaBuilder? current = null;
        foreach (var (key, content, _) in page.Meta)
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
