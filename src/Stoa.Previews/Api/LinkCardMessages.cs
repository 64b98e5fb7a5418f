using Google.Protobuf.WellKnownTypes;
using Stoa.Previews.Core;

namespace Stoa.Previews.Api;

/// <summary>Link cards as proto/stoa/v1/previews.proto writes them: the REST API's fields, absent ones unset.</summary>
internal static class LinkCardMessages
{
    public static Grpc.V1.LinkCard ToMessage(LinkCard card)
    {
        var message = new Grpc.V1.LinkCard { Url = card.Url };
        Set(card.CanonicalUrl, v => message.CanonicalUrl = v);
        Set(card.Title, v => message.Title = v);
        Set(card.Description, v => message.Description = v);
        Set(card.SiteName, v => message.SiteName = v);
        Set(card.Type, v => message.Type = v);
        Set(card.Locale, v => message.Locale = v);
        Set(card.Author, v => message.Author = v);
        Set(card.Favicon, v => message.Favicon = v);
        Set(card.Logo, v => message.Logo = v);
        Set(card.ThemeColor, v => message.ThemeColor = v);
        Set(card.ContentType, v => message.ContentType = v);
        if (card.ContentLength is { } length)
        {
            message.ContentLength = length;
        }

        if (card.PublishedAt is { } published)
        {
            message.PublishedAt = Timestamp.FromDateTimeOffset(published);
        }

        if (card.ModifiedAt is { } modified)
        {
            message.ModifiedAt = Timestamp.FromDateTimeOffset(modified);
        }

        message.Images.AddRange(card.Images.Select(i => Media(i.Url, i.Type, i.Width, i.Height, i.Alt)));
        message.Videos.AddRange(card.Videos.Select(v => Media(v.Url, v.Type, v.Width, v.Height, null)));
        message.Audios.AddRange(card.Audios.Select(a => Media(a.Url, a.Type, null, null, null)));
        if (card.Embed is { } embed)
        {
            message.Embed = new Grpc.V1.Embed();
            Set(embed.Type, v => message.Embed.Type = v);
            Set(embed.ProviderName, v => message.Embed.ProviderName = v);
            Set(embed.ProviderUrl, v => message.Embed.ProviderUrl = v);
            Set(embed.Html, v => message.Embed.Html = v);
            if (embed.Width is { } width)
            {
                message.Embed.Width = width;
            }

            if (embed.Height is { } height)
            {
                message.Embed.Height = height;
            }
        }

        return message;
    }

    public static Grpc.V1.BatchPreviewsResponse ToMessage(BatchResponse batch)
    {
        var message = new Grpc.V1.BatchPreviewsResponse();
        message.Items.AddRange(batch.Items.Select(item => item.Card is { } card
            ? new Grpc.V1.BatchItem { Url = item.Url, Card = ToMessage(card) }
            : new Grpc.V1.BatchItem
            {
                Url = item.Url,
                Error = new Grpc.V1.PreviewError { Status = item.Error!.Status, Code = item.Error.Code, Detail = item.Error.Detail },
            }));
        return message;
    }

    private static Grpc.V1.Media Media(string url, string? type, int? width, int? height, string? alt)
    {
        var media = new Grpc.V1.Media { Url = url };
        Set(type, v => media.Type = v);
        Set(alt, v => media.Alt = v);
        if (width is { } w)
        {
            media.Width = w;
        }

        if (height is { } h)
        {
            media.Height = h;
        }

        return media;
    }

    private static void Set(string? value, Action<string> set)
    {
        if (value is not null)
        {
            set(value);
        }
    }
}
