namespace Stoa.Previews.Extraction;

/// <summary>
/// The sources a card field may come from, and their precedence: for each field, the first source in its list that
/// offers an acceptable value wins (within a source, the first value in the document). Images are chosen by tier: the
/// declared images (Open Graph, Twitter, JSON-LD) if any is valid, else oEmbed's, else what the markup shows. Videos
/// and audios list every source's items in this order. docs/previews.md prints these tables; keep it in step.
/// </summary>
internal static class Sources
{
    // Open Graph and other meta tags.
    public const string OgTitle = "og:title";
    public const string OgDescription = "og:description";
    public const string OgUrl = "og:url";
    public const string OgSiteName = "og:site_name";
    public const string OgType = "og:type";
    public const string OgLocale = "og:locale";
    public const string OgImage = "og:image";
    public const string OgVideo = "og:video";
    public const string OgAudio = "og:audio";
    public const string OgLogo = "og:logo";
    public const string OgPublished = "article:published_time";
    public const string OgModified = "article:modified_time";
    public const string OgUpdated = "og:updated_time";
    public const string OgReleaseDate = "video/music:release_date";
    public const string OgAuthor = "article:author";

    public const string TwitterTitle = "twitter:title";
    public const string TwitterDescription = "twitter:description";
    public const string TwitterUrl = "twitter:url";
    public const string TwitterImage = "twitter:image";
    public const string TwitterCard = "twitter:card";
    public const string TwitterPlayer = "twitter:player";
    public const string TwitterStream = "twitter:player:stream";
    public const string TwitterCreator = "twitter:creator";
    public const string TwitterAppName = "twitter:app:name";

    public const string JsonLdHeadline = "json-ld headline";
    public const string JsonLdName = "json-ld name";
    public const string JsonLdDescription = "json-ld description";
    public const string JsonLdUrl = "json-ld url";
    public const string JsonLdType = "json-ld @type";
    public const string JsonLdLanguage = "json-ld inLanguage";
    public const string JsonLdAuthor = "json-ld author";
    public const string JsonLdAuthorOrganization = "json-ld author (an organization)";
    public const string JsonLdCreator = "json-ld creator";
    public const string JsonLdByArtist = "json-ld byArtist";
    public const string JsonLdPublished = "json-ld datePublished";
    public const string JsonLdUploaded = "json-ld uploadDate";
    public const string JsonLdCreated = "json-ld dateCreated";
    public const string JsonLdModified = "json-ld dateModified";
    public const string JsonLdPublisher = "json-ld publisher.name";
    public const string JsonLdPublisherLogo = "json-ld publisher.logo";
    public const string JsonLdWebSite = "json-ld WebSite name";
    public const string JsonLdOrganization = "json-ld Organization name";
    public const string JsonLdOrganizationLogo = "json-ld Organization logo";
    public const string JsonLdBrandLogo = "json-ld brand.logo";
    public const string JsonLdImage = "json-ld image";
    public const string JsonLdVideo = "json-ld VideoObject";
    public const string JsonLdAudio = "json-ld AudioObject";

    public const string OEmbedTitle = "oembed title";
    public const string OEmbedAuthor = "oembed author_name";
    public const string OEmbedProvider = "oembed provider_name";
    public const string OEmbedType = "oembed type";
    public const string OEmbedImage = "oembed thumbnail/photo";

    public const string HtmlTitle = "<title>";
    public const string MetaCitationTitle = "meta dc.title/citation_title";
    public const string H1 = "<h1>";
    public const string MetaDescription = "meta description";
    public const string MetaAuthor = "meta author";
    public const string MetaByline = "meta byl/parsely-author/sailthru.author";
    public const string MetaCitationAuthor = "meta dc.creator/citation_author";
    public const string MetaDcPublisher = "meta dc.publisher";
    public const string MetaDate = "meta date/dc.date/parsely-pub-date";
    public const string MetaModified = "meta dcterms.modified";
    public const string LinkCanonical = "link rel=canonical";
    public const string HtmlLang = "html lang";
    public const string MetaLanguage = "meta content-language";
    public const string ApplicationName = "meta application-name";
    public const string ThemeColorMeta = "meta theme-color";
    public const string LinkImageSrc = "link rel=image_src";
    public const string TouchIcon = "link rel=apple-touch-icon";
    public const string Icon = "link rel=icon";
    public const string FaviconIco = "/favicon.ico";
    public const string ManifestIcon = "manifest icons";
    public const string ManifestName = "manifest name";
    public const string TitleSiteName = "title suffix naming the domain";
    public const string FeedTitle = "link rel=alternate feed title";

    // Microdata and markup read from the whole document.
    public const string ItempropAuthorName = "itemprop=author itemprop=name";
    public const string ItempropAuthor = "itemprop=author";
    public const string ItempropPublisher = "itemprop=publisher itemprop=name";
    public const string ItempropLogo = "itemprop=logo";
    public const string ItempropPublished = "itemprop=datePublished";
    public const string ItempropModified = "itemprop=dateModified";
    public const string ItempropImage = "itemprop=image";
    public const string ItempropVideo = "itemprop=embedUrl/contentUrl (VideoObject)";
    public const string ItempropAudio = "itemprop=contentUrl (AudioObject)";
    public const string RelAuthor = "rel=author";
    public const string AuthorLink = "a[class*=author], [class*=author] a, a[href*=/author/]";
    public const string AuthorClass = "[class*=author]";
    public const string Byline = "[class*=byline]";
    public const string TimePubdate = "time[pubdate]";
    public const string TimeUpdated = "time.updated";
    public const string ArticleTime = "article time[datetime]";
    public const string Time = "time[datetime]";
    public const string DateText = "date text ([class*=date], time, byline)";
    public const string UrlDate = "date in the URL";
    public const string VideoPoster = "video[poster]";
    public const string ArticleImg = "article img";
    public const string Img = "img";
    public const string VideoElement = "<video>";
    public const string AudioElement = "<audio>";
    public const string AudioLink = "a[href] to an audio file";

    /// <summary>Precedence per field, first wins.</summary>
    public static readonly IReadOnlyDictionary<CardField, string[]> Order = new Dictionary<CardField, string[]>
    {
        [CardField.Title] = [OgTitle, TwitterTitle, JsonLdHeadline, JsonLdName, OEmbedTitle, MetaCitationTitle, HtmlTitle, H1],
        [CardField.Description] = [OgDescription, TwitterDescription, MetaDescription, JsonLdDescription],
        [CardField.Url] = [OgUrl, LinkCanonical, TwitterUrl, JsonLdUrl],
        [CardField.SiteName] =
        [
            JsonLdPublisher, ItempropPublisher, OgSiteName, JsonLdWebSite, JsonLdOrganization, OEmbedProvider, ApplicationName, MetaDcPublisher,
            FeedTitle, TwitterAppName, ManifestName, TitleSiteName,
        ],
        [CardField.Type] = [OgType, TwitterCard, JsonLdType, OEmbedType],
        [CardField.Locale] = [OgLocale, JsonLdLanguage, HtmlLang, MetaLanguage],
        [CardField.Author] =
        [
            JsonLdAuthor, MetaAuthor, OgAuthor, MetaByline, MetaCitationAuthor, JsonLdCreator, JsonLdByArtist, OEmbedAuthor, ItempropAuthorName, ItempropAuthor, RelAuthor,
            AuthorLink, AuthorClass, Byline, JsonLdAuthorOrganization, TwitterCreator,
        ],
        [CardField.Published] =
        [
            JsonLdPublished, JsonLdUploaded, OgPublished, ItempropPublished, MetaDate, OgReleaseDate, TimePubdate, ArticleTime,
            JsonLdCreated, Time, DateText, UrlDate,
        ],
        [CardField.Modified] = [JsonLdModified, OgModified, OgUpdated, ItempropModified, MetaModified, TimeUpdated],
        [CardField.Image] =
        [
            OgImage, TwitterImage, JsonLdImage, OEmbedImage, LinkImageSrc, ItempropImage, VideoPoster, ArticleImg, Img,
        ],
        [CardField.Video] = [OgVideo, TwitterStream, TwitterPlayer, VideoElement, ItempropVideo, JsonLdVideo],
        [CardField.Audio] = [OgAudio, TwitterStream, AudioElement, AudioLink, ItempropAudio, JsonLdAudio],
        [CardField.Logo] =
        [
            JsonLdPublisherLogo, JsonLdOrganizationLogo, OgLogo, ItempropLogo, JsonLdBrandLogo, TouchIcon, ManifestIcon, Icon, FaviconIco,
        ],
        [CardField.Favicon] = [Icon, TouchIcon, FaviconIco],
        [CardField.ThemeColor] = [ThemeColorMeta],
    };

    /// <summary>Image tiers: a later tier is used only when every earlier one offered no valid image.</summary>
    public static readonly string[][] ImageTiers =
    [
        [OgImage, TwitterImage, JsonLdImage],
        [OEmbedImage],
        [LinkImageSrc, ItempropImage, VideoPoster, ArticleImg, Img],
    ];

    /// <summary>Dates guessed from markup: on an event's page they are the event's dates, not its publication.</summary>
    public static readonly HashSet<string> GuessedDates = [TimePubdate, ArticleTime, Time, DateText, TimeUpdated];

    /// <summary>Author sources read from page text rather than declared: a value must look like a name (two words at least).</summary>
    public static readonly HashSet<string> GuessedAuthors = [AuthorLink, AuthorClass, Byline];

    /// <summary>The rank of <paramref name="source"/> for <paramref name="field"/>; unknown sources rank last.</summary>
    public static int Rank(CardField field, string source)
    {
        var index = Array.IndexOf(Order[field], source);
        return index < 0 ? int.MaxValue : index;
    }
}
