using Stoa.Previews.Core;

namespace Stoa.Previews.Extraction;

/// <summary>Twitter/X card tags: twitter:title, :description, :image (+ :alt…), :player (+ :stream), :creator, :app:name.</summary>
internal static class TwitterCardExtractor
{
    public static void Extract(PageContext page, CandidateList candidates)
    {
        candidates.Add(CardField.Title, Sources.TwitterTitle, page.First("twitter:title"));
        candidates.Add(CardField.Description, Sources.TwitterDescription, page.First("twitter:description"));
        candidates.Add(CardField.Url, Sources.TwitterUrl, page.Resolve(page.First("twitter:url")));
        candidates.Add(CardField.Author, Sources.TwitterCreator, page.First("twitter:creator"));
        candidates.Add(CardField.SiteName, Sources.TwitterAppName, page.First("twitter:app:name:iphone", "twitter:app:name:ipad", "twitter:app:name:googleplay"));

        MediaBuilder? current = null;
        var images = new List<MediaBuilder>();
        foreach (var (key, content, _) in page.Meta)
        {
            switch (key)
            {
                case "twitter:image" or "twitter:image:src":
                    // An empty or unusable twitter:image is no image, and its :alt describes nothing.
                    var url = page.Resolve(content);
                    if (url is null)
                    {
                        current = null;
                    }
                    else if (current is null || current.Url != url)
                    {
                        current = new MediaBuilder { Url = url };
                        images.Add(current);
                    }

                    break;
                case "twitter:image:alt" when current is not null:
                    current.Alt ??= content;
                    break;
                case "twitter:image:width" when current is not null:
                    current.Width ??= PageContext.ParseDimension(content);
                    break;
                case "twitter:image:height" when current is not null:
                    current.Height ??= PageContext.ParseDimension(content);
                    break;
            }
        }

        foreach (var image in images)
        {
            candidates.Add(Sources.TwitterImage, image.ToImage());
        }

        var width = PageContext.ParseDimension(page.First("twitter:player:width"));
        var height = PageContext.ParseDimension(page.First("twitter:player:height"));
        if (page.Resolve(page.First("twitter:player:stream")) is { } stream)
        {
            var type = page.First("twitter:player:stream:content_type")?.Trim().ToLowerInvariant();
            if (type is not null && type.StartsWith("audio/", StringComparison.Ordinal))
            {
                candidates.Add(Sources.TwitterStream, new LinkAudio(stream, type));
            }
            else
            {
                candidates.Add(Sources.TwitterStream, new LinkVideo(stream, width, height, type));
            }
        }

        if (page.Resolve(page.First("twitter:player")) is { } player)
        {
            candidates.Add(Sources.TwitterPlayer, new LinkVideo(player, width, height, "text/html"));
        }

        if (string.Equals(page.First("twitter:card")?.Trim(), "player", StringComparison.OrdinalIgnoreCase))
        {
            candidates.Add(CardField.Type, Sources.TwitterCard, "video");
        }
    }
}
