using System.Buffers;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Stoa.Previews.Core;

namespace Stoa.Previews.Extraction;

/// <summary>What <see cref="MarkupScanner"/> found: candidates from markup, and head-kind elements met after the head.</summary>
internal sealed class ScanResult
{
    public CandidateList Candidates { get; } = new();

    /// <summary>Meta tags after the head (sites put og:, itemprop= and even description tags in the body).</summary>
    public List<MetaTag> Meta { get; } = [];

    public List<LinkTag> Links { get; } = [];

    /// <summary>The text of every <c>application/ld+json</c> script after the head.</summary>
    public List<string> JsonLd { get; } = [];

    /// <summary>The first HTML <c>&lt;title&gt;</c> after the head (not an SVG one).</summary>
    public string? Title { get; set; }

    /// <summary>
    /// Text captures started (each ends in a date or byline rule): what <see cref="MarkupScanner.MaxCapturesPerSource"/>
    /// bounds, counted so that tests can show a hostile page does not multiply them.
    /// </summary>
    public int CapturesStarted { get; set; }

    /// <summary>Open elements compared with end tags: what <see cref="MarkupScanner.MaxEndTagSearch"/> bounds per end tag.</summary>
    public long EndTagComparisons { get; set; }
}

/// <summary>
/// Reads a whole page in one forward pass, without building a DOM, for what only the body holds: bylines, dates in
/// <c>&lt;time&gt;</c> and microdata, <c>&lt;video&gt;</c>/<c>&lt;audio&gt;</c>, links to audio files, the first content
/// image, JSON-LD scripts. It costs 5 to 15 times less than parsing the page into a DOM: 0.35–2.5 ms against 2.2–36 ms
/// for 100 KB–1 MB of markup-heavy body, 0.1–0.3 ms against 0.6–2.7 ms for a script-heavy one (docs/benchmarks.md),
/// which is what makes reading past <c>&lt;/head&gt;</c> affordable on every page that needs it.
/// <para>
/// It follows the tokenizer's tag and attribute syntax, skips comments and raw-text elements (script, style, iframe…;
/// noscript is markup, as with scripting off), and keeps an approximate stack of open elements (implied ends of p, li,
/// td…; depth capped at <see cref="MaxDepth"/>) for what ancestors say: inside an article, inside navigation, comments,
/// sidebars or footers (whose bylines and images are not the page's), inside a microdata author, publisher or video.
/// </para>
/// </summary>
internal sealed partial class MarkupScanner
{
    public const int MaxDepth = 512;
    private const int MaxCaptureChars = 400;
    private const int MaxCandidatesPerSource = 4;
    private const int MaxImagesScanned = 200;
    private const int MaxActiveCaptures = 8;
    private const int MaxAttributes = 64;

    // Text captures a source may start, found or not: a page of 100,000 "date" elements must not cost 100,000 regexes.
    public const int MaxCapturesPerSource = 32;

    // How far down the stack an end tag looks for its element: real markup closes what it opened near the top.
    public const int MaxEndTagSearch = 64;

    private static readonly Dictionary<int, (string Name, Tag Tag)> s_tags = BuildTags();
    private static readonly HashSet<int> s_void = Hashes(
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr", "keygen", "frame",
        "basefont", "bgsound", "image");

    private static readonly HashSet<int> s_closesP = Hashes(
        "address", "article", "aside", "blockquote", "details", "dialog", "div", "dl", "fieldset", "figcaption", "figure", "footer", "form",
        "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "main", "menu", "nav", "ol", "p", "pre", "section", "table", "ul", "li",
        "dd", "dt");

    // Class, id or role fragments of regions whose content is not the page's own: navigation, comments, sidebars, promos.
    private static readonly SearchValues<string> s_excludedFragments = SearchValues.Create(
    [
        "comment", "related", "sidebar", "widget", "share", "social", "newsletter", "subscribe", "signup", "promo", "recommend", "teaser",
        "breadcrumb", "pagination", "cookie", "popup", "modal", "menu", "navbar", "navigation", "nav-", "-nav", "trending",
        "most-popular", "mostpopular", "more-from", "read-next", "readnext", "outbrain", "taboola", "advert", "sponsor",

        // User reviews are comments by another name ("review" alone stays allowed: a review article has a byline).
        "reviews", "ugc", "testimonial",
    ], StringComparison.OrdinalIgnoreCase);

    // Any class worth a second look: bylines, authors, dates.
    private static readonly SearchValues<string> s_interestingClasses = SearchValues.Create(
        ["byline", "author", "auteur", "autor", "date", "published", "publish-", "publish_", "timestamp", "posted-on", "created", "submitted"], StringComparison.OrdinalIgnoreCase);

    // What a page that lists several articles says about them, not about itself.
    private static readonly HashSet<string> s_listingGuesses =
    [
        Sources.RelAuthor, Sources.AuthorLink, Sources.AuthorClass, Sources.Byline, Sources.TimePubdate, Sources.ArticleTime, Sources.Time,
        Sources.DateText, Sources.TimeUpdated, Sources.ItempropAuthor, Sources.ItempropAuthorName, Sources.ItempropPublished, Sources.ItempropModified,
    ];

    private static readonly string[] s_audioExtensions = [".mp3", ".m4a", ".aac", ".ogg", ".oga", ".opus", ".wav", ".flac", ".weba"];

    private readonly string _html;
    private readonly int _headEnd;
    private readonly Func<string?, string?> _resolve;
    private readonly ScanResult _result = new();

    private readonly Attribute[] _attributes = new Attribute[MaxAttributes];
    private int _attributeCount;
    private int _nameStart;
    private int _nameLength;
    private bool _selfClosing;

    private readonly int[] _hashes = new int[MaxDepth];
    private readonly Tag[] _tags = new Tag[MaxDepth];
    private readonly Context[] _contexts = new Context[MaxDepth];
    private int _depth;

    private readonly List<Capture> _captures = [];
    private readonly List<(int Position, int Sequence, Action Add)> _found = [];
    private int _tagStart;
    private readonly Dictionary<string, int> _perSource = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _capturesStarted = new(StringComparer.Ordinal);
    private int _imagesScanned;
    private int _pendingVideoDepth = -1;
    private int _pendingAudioDepth = -1;
    private (int? Width, int? Height) _pendingVideoSize;
    private bool _sawH1;
    private int _articles;

    private MarkupScanner(string html, int headEnd, Func<string?, string?> resolve)
    {
        _html = html;
        _headEnd = headEnd;
        _resolve = resolve;
    }

    [Flags]
    private enum Context
    {
        None = 0,
        Excluded = 1,
        Article = 2,
        AuthorScope = 4,
        PublisherScope = 8,
        VideoScope = 16,
        AudioScope = 32,
        LogoScope = 64,
        AuthorClass = 128,
        Foreign = 256,
        ArticleElement = 512,
        Scopes = AuthorScope | PublisherScope | VideoScope | AudioScope | LogoScope,
    }

    private enum Tag
    {
        Other,
        Script,
        RawText,
        Title,
        Plaintext,
        Template,
        Meta,
        Link,
        Img,
        Source,
        Video,
        Audio,
        A,
        Time,
        Article,
        Main,
        Nav,
        Aside,
        Footer,
        Form,
        H1,
        P,
        Li,
        DtDd,
        Option,
        Tr,
        Cell,
        Svg,
        Br,
        Container,
        Abbr,
    }

    /// <param name="html">The whole page as decoded.</param>
    /// <param name="headEnd">Where the part already parsed as the head ends: meta, link, title and JSON-LD are collected after it only.</param>
    /// <param name="resolve">Turns an href into an absolute http(s) URL, or null.</param>
    public static ScanResult Scan(string html, int headEnd, Func<string?, string?> resolve)
    {
        var scanner = new MarkupScanner(html, headEnd, resolve);
        scanner.Run();
        return scanner._result;
    }

    private Context Current => _depth == 0 ? Context.None : _contexts[_depth - 1];

    private void Run()
    {
        var html = _html;
        var length = html.Length;
        var position = 0;
        while (position < length)
        {
            var lt = html.IndexOf('<', position);
            if (lt < 0)
            {
                Text(position, length);
                break;
            }

            if (lt > position)
            {
                Text(position, lt);
            }

            if (lt + 1 >= length)
            {
                break;
            }

            var next = html[lt + 1];
            if (next == '!')
            {
                position = SkipDeclaration(lt);
            }
            else if (next == '?')
            {
                position = After('>', lt + 2);
            }
            else if (next == '/')
            {
                position = lt + 2 < length && char.IsAsciiLetter(html[lt + 2]) ? EndTag(lt + 2) : After('>', lt + 2);
            }
            else if (char.IsAsciiLetter(next))
            {
                position = StartTag(lt);
            }
            else
            {
                Text(lt, lt + 1);
                position = lt + 1;
            }
        }

        while (_captures.Count > 0)
        {
            Finish(_captures[^1]);
            _captures.RemoveAt(_captures.Count - 1);
        }

        // Candidates in the order their elements start: a byline before the role span inside it, which closes first.
        foreach (var (_, _, add) in _found.OrderBy(f => f.Position).ThenBy(f => f.Sequence))
        {
            add();
        }

        if (_articles >= 2)
        {
            // A listing (a home page, a category): its bylines and dates are the listed posts', not the page's.
            _result.Candidates.RemoveAll(c => s_listingGuesses.Contains(c.Source));
        }
    }

    private int SkipDeclaration(int lt)
    {
        var html = _html;
        if (string.CompareOrdinal(html, lt, "<!--", 0, 4) == 0)
        {
            // "<!-->" and "<!--->" are complete (empty) comments.
            if (lt + 4 < html.Length && html[lt + 4] == '>')
            {
                return lt + 5;
            }

            if (lt + 5 < html.Length && html[lt + 4] == '-' && html[lt + 5] == '>')
            {
                return lt + 6;
            }

            var end = html.IndexOf("-->", lt + 4, StringComparison.Ordinal);
            return end < 0 ? html.Length : end + 3;
        }

        if (string.CompareOrdinal(html, lt, "<![CDATA[", 0, 9) == 0)
        {
            var end = html.IndexOf("]]>", lt + 9, StringComparison.Ordinal);
            return end < 0 ? html.Length : end + 3;
        }

        return After('>', lt + 2);
    }

    private int After(char c, int from)
    {
        var index = from < _html.Length ? _html.IndexOf(c, from) : -1;
        return index < 0 ? _html.Length : index + 1;
    }

    private void Text(int from, int to)
    {
        // A byline's or date's text never includes an excluded region inside it (a review list inside a product block).
        if (_captures.Count == 0 || (Current & Context.Excluded) != 0)
        {
            return;
        }

        foreach (var capture in _captures)
        {
            if (capture.Text.Length < MaxCaptureChars)
            {
                capture.Text.Append(_html.AsSpan(from, Math.Min(to - from, MaxCaptureChars - capture.Text.Length)));
            }
        }
    }

    private void Space()
    {
        foreach (var capture in _captures)
        {
            capture.Text.Append(' ');
        }
    }

    /// <returns>The position after the tag and, for raw-text elements, after their content and end tag.</returns>
    private int StartTag(int lt)
    {
        var end = ReadTag(lt + 1);
        if (end < 0)
        {
            return _html.Length;
        }

        _tagStart = lt;
        var name = _html.AsSpan(_nameStart, _nameLength);
        var hash = Hash(name);
        var tag = Identify(hash, name);
        var afterHead = lt >= _headEnd;
        var parent = Current;
        if (_captures.Count > 0)
        {
            Space();
        }

        if (tag is Tag.Title && (parent & Context.Foreign) != 0)
        {
            // An SVG <title> names an icon, not the page.
            tag = Tag.Other;
        }

        switch (tag)
        {
            case Tag.Script:
                return Script(end, afterHead);
            case Tag.RawText:
                return SkipRawText(end, name);
            case Tag.Title:
                return TitleElement(end, afterHead);
            case Tag.Plaintext:
                return _html.Length;
        }

        CloseImplied(tag, hash);
        parent = Current;
        var context = ContextOf(tag, parent);
        var excluded = (context & Context.Excluded) != 0;
        if (tag == Tag.Article && !excluded && (parent & Context.ArticleElement) == 0)
        {
            _articles++;
        }

        switch (tag)
        {
            case Tag.Meta:
                Meta(afterHead, context);
                break;
            case Tag.Link:
                Link(afterHead);
                break;
            case Tag.Img:
                if (!excluded)
                {
                    Image(context);
                }

                break;
            case Tag.Source:
                Source();
                break;
            case Tag.Video when !excluded:
                Video();
                break;
            case Tag.Audio when !excluded:
                Audio();
                break;
            case Tag.A when !excluded:
                Anchor(parent, context);
                break;
            case Tag.Time when !excluded:
                Time(context);
                break;
            case Tag.H1 when !excluded && !_sawH1:
                _sawH1 = true;
                StartCapture(CardField.Title, Sources.H1);
                break;
        }

        if (!excluded && tag is not (Tag.Meta or Tag.Link or Tag.Img or Tag.A or Tag.Source or Tag.Container))
        {
            Classes(tag);
        }

        if (tag is not (Tag.Meta or Tag.Link) && ItemProp() is { } itemprop)
        {
            ItemProperty(tag, itemprop, parent, context);
        }
        else if (tag is Tag.Link && !AttrSpan("itemprop").IsEmpty)
        {
            ItemProperty(tag, Attr("itemprop")!, parent, context);
        }

        if (!_selfClosing && !s_void.Contains(hash) && _depth < MaxDepth)
        {
            Push(hash, tag, context);
        }
        else
        {
            // Nothing will close what this element started capturing: drop it rather than read its siblings' text.
            _captures.RemoveAll(c => c.Depth >= _depth);
        }

        return end;
    }

    private int EndTag(int nameStart)
    {
        var end = ReadTag(nameStart);
        var name = _html.AsSpan(_nameStart, _nameLength);
        var hash = Hash(name);
        if (Identify(hash, name) == Tag.Br)
        {
            // </br> is a <br>.
            Space();
            return end < 0 ? _html.Length : end;
        }

        for (var i = _depth - 1; i >= Math.Max(0, _depth - MaxEndTagSearch); i--)
        {
            _result.EndTagComparisons++;
            if (_hashes[i] == hash)
            {
                PopTo(i);
                break;
            }
        }

        return end < 0 ? _html.Length : end;
    }

    private void Push(int hash, Tag tag, Context context)
    {
        if (_depth == MaxDepth)
        {
            return;
        }

        _hashes[_depth] = hash;
        _tags[_depth] = tag;
        _contexts[_depth] = context;
        _depth++;
    }

    /// <summary>Pops the element at <paramref name="index"/> and everything above it, finishing their captures.</summary>
    private void PopTo(int index)
    {
        _depth = index;
        for (var i = _captures.Count - 1; i >= 0; i--)
        {
            if (_captures[i].Depth >= index)
            {
                Finish(_captures[i]);
                _captures.RemoveAt(i);
            }
        }

        if (_pendingVideoDepth >= index)
        {
            _pendingVideoDepth = -1;
        }

        if (_pendingAudioDepth >= index)
        {
            _pendingAudioDepth = -1;
        }
    }

    /// <summary>The tree builder's commonest implied end tags: a block closes an open p; li, dt/dd, option, tr and cells close their sibling.</summary>
    private void CloseImplied(Tag tag, int hash)
    {
        if (_depth == 0)
        {
            return;
        }

        if (_tags[_depth - 1] == Tag.P && s_closesP.Contains(hash))
        {
            PopTo(_depth - 1);
        }

        if (_depth == 0)
        {
            return;
        }

        var top = _tags[_depth - 1];
        var closesSibling = tag switch
        {
            Tag.Li => top == Tag.Li,
            Tag.DtDd => top == Tag.DtDd,
            Tag.Option => top == Tag.Option,
            Tag.Cell => top == Tag.Cell,
            Tag.Tr => top is Tag.Cell or Tag.Tr,
            _ => false,
        };
        if (closesSibling)
        {
            PopTo(_depth - 1);
            if (tag == Tag.Tr && _depth > 0 && _tags[_depth - 1] == Tag.Tr)
            {
                PopTo(_depth - 1);
            }
        }
    }

    private Context ContextOf(Tag tag, Context parent)
    {
        var context = parent;
        switch (tag)
        {
            case Tag.Nav or Tag.Form or Tag.Template:
                context |= Context.Excluded;
                break;

            // A footer or aside inside an article holds its byline and tags; outside one, the site's.
            case Tag.Footer or Tag.Aside when (parent & Context.Article) == 0:
                context |= Context.Excluded;
                break;
            case Tag.Article:
                context |= Context.Article | Context.ArticleElement;
                break;
            case Tag.Main:
                context |= Context.Article;
                break;
            case Tag.Svg:
                context |= Context.Foreign;
                break;
        }

        // A footer-named region inside an article ("post-footer", "entry-footer") holds its byline, like a <footer> there.
        if ((context & Context.Excluded) == 0 && tag is not (Tag.Container or Tag.Article or Tag.Main) && IsExcludedRegion(parent))
        {
            context |= Context.Excluded;
        }

        var role = AttrSpan("role");
        if (!role.IsEmpty)
        {
            if (role.Equals("main", StringComparison.OrdinalIgnoreCase) || role.Equals("article", StringComparison.OrdinalIgnoreCase))
            {
                context |= Context.Article;
            }
            else if (tag != Tag.Container && (role.Equals("navigation", StringComparison.OrdinalIgnoreCase)
                || role.Equals("complementary", StringComparison.OrdinalIgnoreCase) || role.Equals("contentinfo", StringComparison.OrdinalIgnoreCase)
                || role.Equals("dialog", StringComparison.OrdinalIgnoreCase) || role.Equals("menu", StringComparison.OrdinalIgnoreCase)))
            {
                context |= Context.Excluded;
            }
        }

        if (tag != Tag.Container && AttrSpan("class").Contains("author", StringComparison.OrdinalIgnoreCase))
        {
            context |= Context.AuthorClass;
        }

        if (!AttrSpan("itemprop").IsEmpty && (HasToken(Attr("itemprop"), "review") || HasToken(Attr("itemprop"), "reviews")))
        {
            // A product's reviews: their authors and dates are the reviewers'.
            context |= Context.Excluded;
        }

        if (StartsItem())
        {
            // Microdata scopes do not nest: a property belongs to its nearest item.
            context &= ~Context.Scopes;
            var itemprop = ItemProp();
            var itemtype = Attr("itemtype") ?? Attr("typeof") ?? string.Empty;

            // An RDFa person where an author is shown (Drupal's "Submitted by <span typeof="schema:Person">…").
            if (HasToken(itemprop, "author") || HasToken(itemprop, "creator") || (!AttrSpan("typeof").IsEmpty && HasToken(itemtype, "Person")))
            {
                context |= Context.AuthorScope;
            }
            else if (HasToken(itemprop, "publisher"))
            {
                context |= Context.PublisherScope;
            }
            else if (HasToken(itemprop, "logo"))
            {
                context |= Context.LogoScope;
            }
            else if (itemtype.Contains("VideoObject", StringComparison.OrdinalIgnoreCase))
            {
                context |= Context.VideoScope;
            }
            else if (AudioType(itemtype))
            {
                context |= Context.AudioScope;
            }

            if (itemtype.Contains("Article", StringComparison.OrdinalIgnoreCase) || itemtype.Contains("Posting", StringComparison.OrdinalIgnoreCase))
            {
                context |= Context.Article;
            }
        }
        else if (!AttrSpan("itemprop").IsEmpty && HasToken(Attr("itemprop"), "articleBody"))
        {
            context |= Context.Article;
        }

        return context;
    }

    private static bool AudioType(string itemtype) =>
        itemtype.Contains("AudioObject", StringComparison.OrdinalIgnoreCase) || itemtype.Contains("PodcastEpisode", StringComparison.OrdinalIgnoreCase)
        || itemtype.Contains("MusicRecording", StringComparison.OrdinalIgnoreCase);

    private bool IsExcludedRegion(Context parent) =>
        AttrSpan("class").IndexOfAny(s_excludedFragments) >= 0 || AttrSpan("id").IndexOfAny(s_excludedFragments) >= 0
        || ((parent & Context.Article) == 0
            && (AttrSpan("class").Contains("footer", StringComparison.OrdinalIgnoreCase) || AttrSpan("id").Contains("footer", StringComparison.OrdinalIgnoreCase)));

    private int Script(int end, bool afterHead)
    {
        var close = FindEndTag(end, "script");
        if (afterHead && string.Equals(Attr("type")?.Trim(), "application/ld+json", StringComparison.OrdinalIgnoreCase))
        {
            _result.JsonLd.Add(_html[end..close.ContentEnd]);
        }

        return close.After;
    }

    private int SkipRawText(int end, ReadOnlySpan<char> name) => FindEndTag(end, name.ToString().ToLowerInvariant()).After;

    private int TitleElement(int end, bool afterHead)
    {
        var close = FindEndTag(end, "title");
        if (afterHead && _result.Title is null)
        {
            _result.Title = Decode(_html[end..close.ContentEnd]);
        }

        return close.After;
    }

    /// <summary>The end tag of a raw-text element: <c>&lt;/name</c> followed by whitespace, '/' or '>'.</summary>
    private (int ContentEnd, int After) FindEndTag(int from, string lowerName)
    {
        var html = _html;
        var at = from;
        while (true)
        {
            var lt = html.IndexOf("</", at, StringComparison.Ordinal);
            if (lt < 0)
            {
                return (html.Length, html.Length);
            }

            var nameEnd = lt + 2 + lowerName.Length;
            if (nameEnd <= html.Length && html.AsSpan(lt + 2, lowerName.Length).Equals(lowerName, StringComparison.OrdinalIgnoreCase)
                && (nameEnd == html.Length || html[nameEnd] is '>' or '/' || char.IsWhiteSpace(html[nameEnd])))
            {
                return (lt, After('>', nameEnd));
            }

            at = lt + 2;
        }
    }

    private void Meta(bool afterHead, Context context)
    {
        var content = Attr("content") ?? Attr("value");
        if (content is null)
        {
            return;
        }

        if (afterHead)
        {
            var media = Attr("media");
            foreach (var attribute in (ReadOnlySpan<string>)["property", "name", "itemprop"])
            {
                var key = Attr(attribute)?.Trim().ToLowerInvariant();
                if (!string.IsNullOrEmpty(key))
                {
                    _result.Meta.Add(new MetaTag(key, content, media));
                }
            }
        }

        if (Attr("itemprop") is { } itemprop)
        {
            ScopedProperty(itemprop, context, content, captureTextIfMissing: false);
        }
    }

    private void Link(bool afterHead)
    {
        var href = Attr("href");
        if (afterHead && !string.IsNullOrWhiteSpace(href) && Attr("rel") is { } rel)
        {
            _result.Links.Add(new LinkTag(RelTokens(rel), href, Attr("type"), Attr("sizes"), Attr("title")));
        }
    }

    public static string[] RelTokens(string rel) =>
        rel.ToLowerInvariant().Split([' ', '\t', '\n', '\r', '\f'], StringSplitOptions.RemoveEmptyEntries);

    /// <summary>itemprop on elements other than meta: its value is the element's URL attribute, datetime, content or text.</summary>
    private void ItemProperty(Tag tag, string itemprop, Context parent, Context context)
    {
        string? value = tag switch
        {
            Tag.Img or Tag.Video or Tag.Audio or Tag.Source => Attr("src"),

            // YouTube writes <link itemprop="name" content="…">: content first, then the href the spec asks for.
            Tag.Link => Attr("content") ?? Attr("href"),
            Tag.A => Attr("href"),
            Tag.Time => Attr("datetime"),

            // hAtom's <abbr class="published" title="2019-08-12T09:41:00-07:00">9:41 AM</abbr>.
            Tag.Abbr => Attr("title") ?? Attr("content"),
            _ => Attr("content"),
        };

        if (StartsItem())
        {
            // The item itself is the property value (itemprop="author" itemscope): its name comes from inside, or it
            // is the name (an RDFa person whose property is schema:name).
            if ((context & Context.AuthorScope) != 0 && (parent & Context.Excluded) == 0)
            {
                StartCapture(CardField.Author, HasToken(itemprop, "name") ? Sources.ItempropAuthorName : Sources.ItempropAuthor);
            }

            return;
        }

        // The element's scope is its parent's: the flags this element added describe its children.
        ScopedProperty(itemprop, parent, tag == Tag.A && HasToken(itemprop, "name") ? null : value, captureTextIfMissing: tag is not (Tag.Img or Tag.Link or Tag.Source));
        if ((parent & Context.Excluded) != 0)
        {
            return;
        }

        if (HasToken(itemprop, "author") || HasToken(itemprop, "creator"))
        {
            // An author's name is the element's text; a link's href is a profile, never a name.
            if (tag is Tag.Link or Tag.Img or Tag.Source)
            {
                return;
            }

            if (tag is not Tag.A && value is not null)
            {
                Add(CardField.Author, Sources.ItempropAuthor, value);
            }
            else
            {
                StartCapture(CardField.Author, Sources.ItempropAuthor);
            }
        }
        else if (HasToken(itemprop, "datePublished") || HasToken(itemprop, "uploadDate"))
        {
            DateProperty(CardField.Published, Sources.ItempropPublished, value);
        }
        else if (HasToken(itemprop, "dateModified"))
        {
            DateProperty(CardField.Modified, Sources.ItempropModified, value);
        }
        else if ((HasToken(itemprop, "image") || HasToken(itemprop, "thumbnailUrl")) && (parent & Context.Scopes) is Context.None or Context.VideoScope)
        {
            AddImage(Sources.ItempropImage, value is null ? null : new LinkImage(value));
        }
    }

    private void DateProperty(CardField field, string source, string? value)
    {
        if (value is not null)
        {
            Add(field, source, value);
        }
        else
        {
            StartCapture(field, source);
        }
    }

    /// <summary>Properties whose meaning depends on their item: an author's or publisher's name, a logo, a video's URL.</summary>
    private void ScopedProperty(string itemprop, Context scope, string? value, bool captureTextIfMissing)
    {
        if ((scope & Context.Excluded) != 0)
        {
            return;
        }

        if (HasToken(itemprop, "name"))
        {
            var (field, source) = (scope & Context.AuthorScope) != 0 ? (CardField.Author, Sources.ItempropAuthorName)
                : (scope & Context.PublisherScope) != 0 ? (CardField.SiteName, Sources.ItempropPublisher)
                : (default(CardField), null);
            if (source is null)
            {
                return;
            }

            if (value is not null)
            {
                Add(field, source, value);
            }
            else if (captureTextIfMissing)
            {
                StartCapture(field, source);
            }
        }
        else if (HasToken(itemprop, "logo") || ((scope & Context.LogoScope) != 0 && (HasToken(itemprop, "url") || HasToken(itemprop, "contentUrl"))))
        {
            Add(CardField.Logo, Sources.ItempropLogo, _resolve(value));
        }
        else if ((scope & Context.VideoScope) != 0 && (HasToken(itemprop, "embedUrl") || HasToken(itemprop, "contentUrl")))
        {
            if (_resolve(value) is { } url)
            {
                AddLimited(Sources.ItempropVideo, () => _result.Candidates.Add(Sources.ItempropVideo, new LinkVideo(url, Type: HasToken(itemprop, "embedUrl") ? "text/html" : null)));
            }
        }
        else if ((scope & Context.AudioScope) != 0 && HasToken(itemprop, "contentUrl"))
        {
            if (_resolve(value) is { } url)
            {
                AddLimited(Sources.ItempropAudio, () => _result.Candidates.Add(Sources.ItempropAudio, new LinkAudio(url)));
            }
        }
    }

    /// <summary>
    /// Bylines and dates recognised by class: [class*=byline], [class*=author] (text that must look like a name) and
    /// elements whose class names a date.
    /// </summary>
    private void Classes(Tag tag)
    {
        // React-era sites name their bylines in data-testid or data-component rather than in a class.
        var classes = AttrSpan("class");
        if (classes.IsEmpty || classes.IndexOfAny(s_interestingClasses) < 0)
        {
            classes = AttrSpan("data-testid");
            if (classes.IsEmpty || classes.IndexOfAny(s_interestingClasses) < 0)
            {
                classes = AttrSpan("data-component");
                if (classes.IsEmpty || classes.IndexOfAny(s_interestingClasses) < 0)
                {
                    return;
                }
            }
        }

        if (classes.Contains("byline", StringComparison.OrdinalIgnoreCase))
        {
            StartCapture(CardField.Author, Sources.Byline);
            StartCapture(CardField.Published, Sources.DateText);
        }
        else if ((classes.Contains("author", StringComparison.OrdinalIgnoreCase) && !classes.Contains("authoriz", StringComparison.OrdinalIgnoreCase))
            || classes.Contains("auteur", StringComparison.OrdinalIgnoreCase) || classes.Contains("autor", StringComparison.OrdinalIgnoreCase))
        {
            StartCapture(CardField.Author, Sources.AuthorClass);
        }
        else if (tag != Tag.Time && IsDateClass(classes))
        {
            StartCapture(CardField.Published, Sources.DateText);
        }
    }

    // "published", "pubdate", "publish-date", not WordPress's "status-publish" post class.
    private static bool IsDateClass(ReadOnlySpan<char> classes) =>
        (classes.Contains("date", StringComparison.OrdinalIgnoreCase) || classes.Contains("published", StringComparison.OrdinalIgnoreCase)
            || classes.Contains("publish-", StringComparison.OrdinalIgnoreCase) || classes.Contains("publish_", StringComparison.OrdinalIgnoreCase)
            || classes.Contains("timestamp", StringComparison.OrdinalIgnoreCase) || classes.Contains("posted-on", StringComparison.OrdinalIgnoreCase)
            || classes.Contains("created", StringComparison.OrdinalIgnoreCase) || classes.Contains("submitted", StringComparison.OrdinalIgnoreCase))
        && !classes.Contains("updat", StringComparison.OrdinalIgnoreCase) && !classes.Contains("modif", StringComparison.OrdinalIgnoreCase);

    private void Anchor(Context parent, Context context)
    {
        var href = AttrSpan("href");
        if (HasToken(AttrSpan("rel"), "author"))
        {
            StartCapture(CardField.Author, Sources.RelAuthor);
        }
        else if ((context & Context.AuthorClass) != 0 || (parent & Context.AuthorClass) != 0 || href.Contains("/author/", StringComparison.OrdinalIgnoreCase))
        {
            StartCapture(CardField.Author, Sources.AuthorLink);
        }

        // Links are the commonest tag: the raw href is looked at first, and only an audio file's is resolved.
        if (AudioFileType(href) is { } type && _resolve(Attr("href")) is { } url)
        {
            AddLimited(Sources.AudioLink, () => _result.Candidates.Add(Sources.AudioLink, new LinkAudio(url, type)));
        }
    }

    /// <summary>The media type of a link to an audio file, judged by its path's extension (query and fragment ignored).</summary>
    private static string? AudioFileType(ReadOnlySpan<char> href)
    {
        var end = href.IndexOfAny('?', '#');
        var path = end < 0 ? href : href[..end];
        foreach (var extension in s_audioExtensions)
        {
            if (path.EndsWith(extension, StringComparison.OrdinalIgnoreCase))
            {
                return extension switch
                {
                    ".mp3" => "audio/mpeg",
                    ".m4a" => "audio/mp4",
                    ".aac" => "audio/aac",
                    ".ogg" or ".oga" => "audio/ogg",
                    ".opus" => "audio/opus",
                    ".wav" => "audio/wav",
                    ".flac" => "audio/flac",
                    _ => "audio/webm",
                };
            }
        }

        return null;
    }

    private void Time(Context context)
    {
        var datetime = Attr("datetime");
        if (HasToken(Attr("itemprop"), "datePublished") || HasToken(Attr("itemprop"), "dateModified"))
        {
            // Read as an item property.
            return;
        }

        if (string.IsNullOrWhiteSpace(datetime))
        {
            StartCapture(CardField.Published, Sources.DateText);
            return;
        }

        var classes = AttrSpan("class");
        if (classes.Contains("updated", StringComparison.OrdinalIgnoreCase) || classes.Contains("modified", StringComparison.OrdinalIgnoreCase))
        {
            Add(CardField.Modified, Sources.TimeUpdated, datetime);
        }
        else if (HasAttr("pubdate"))
        {
            Add(CardField.Published, Sources.TimePubdate, datetime);
        }
        else if ((context & Context.Article) != 0 || classes.Contains("published", StringComparison.OrdinalIgnoreCase))
        {
            Add(CardField.Published, Sources.ArticleTime, datetime);
        }
        else
        {
            Add(CardField.Published, Sources.Time, datetime);
        }
    }

    private void Video()
    {
        var width = PageContext.ParseDimension(Attr("width"));
        var height = PageContext.ParseDimension(Attr("height"));
        if (_resolve(Attr("poster")) is { } poster)
        {
            AddImage(Sources.VideoPoster, new LinkImage(poster, width, height));
        }

        if (_resolve(Attr("src")) is { } url)
        {
            // Built now: the attribute buffer belongs to the next tag by the time deferred candidates are added.
            var video = new LinkVideo(url, width, height, Attr("type"));
            AddLimited(Sources.VideoElement, () => _result.Candidates.Add(Sources.VideoElement, video));
        }
        else
        {
            // Its first <source> names it; the video element is pushed right after this.
            _pendingVideoDepth = _depth;
            _pendingVideoSize = (width, height);
        }
    }

    private void Audio()
    {
        if (_resolve(Attr("src")) is { } url)
        {
            var audio = new LinkAudio(url, Attr("type"));
            AddLimited(Sources.AudioElement, () => _result.Candidates.Add(Sources.AudioElement, audio));
        }
        else
        {
            _pendingAudioDepth = _depth;
        }
    }

    private void Source()
    {
        if (_resolve(Attr("src")) is not { } url)
        {
            return;
        }

        var type = Attr("type");
        if (_pendingVideoDepth >= 0 && _depth > _pendingVideoDepth)
        {
            var (width, height) = _pendingVideoSize;
            AddLimited(Sources.VideoElement, () => _result.Candidates.Add(Sources.VideoElement, new LinkVideo(url, width, height, type)));
            _pendingVideoDepth = -1;
        }
        else if (_pendingAudioDepth >= 0 && _depth > _pendingAudioDepth)
        {
            AddLimited(Sources.AudioElement, () => _result.Candidates.Add(Sources.AudioElement, new LinkAudio(url, type)));
            _pendingAudioDepth = -1;
        }
    }

    /// <summary>
    /// A content image: lazy-load attributes win over a placeholder src, data: URIs are skipped, and tracking pixels
    /// (a declared width or height of 2 or less, a pixel/spacer file name), hidden images, logos, avatars and icons are
    /// ignored. One from inside the article, and the first anywhere.
    /// </summary>
    private void Image(Context context)
    {
        if (HasToken(Attr("itemprop"), "image") && _resolve(Attr("src")) is { } declared)
        {
            AddImage(Sources.ItempropImage, new LinkImage(declared));
        }

        var inArticle = (context & Context.Article) != 0;
        if (++_imagesScanned > MaxImagesScanned || (Count(Sources.Img) > 0 && (!inArticle || Count(Sources.ArticleImg) > 0)))
        {
            return;
        }

        var width = PageContext.ParseDimension(Attr("width"));
        var height = PageContext.ParseDimension(Attr("height"));
        if (width <= 2 || height <= 2 || width > 4 * height || height > 4 * width || HasAttr("hidden") || string.Equals(Attr("aria-hidden"), "true", StringComparison.OrdinalIgnoreCase)
            || (Attr("style") is { } style && HiddenStyleRegex().IsMatch(style)) || LooksDecorative())
        {
            return;
        }

        string? url = null;
        foreach (var candidate in ImageSources())
        {
            if (!candidate.StartsWith("data:", StringComparison.OrdinalIgnoreCase) && _resolve(candidate) is { } resolved)
            {
                url = resolved;
                break;
            }
        }

        if (url is null || PixelNameRegex().IsMatch(new Uri(url).AbsolutePath))
        {
            return;
        }

        var image = new LinkImage(url, width, height, Attr("alt"));
        if (inArticle && Count(Sources.ArticleImg) == 0)
        {
            AddImage(Sources.ArticleImg, image);
        }

        if (Count(Sources.Img) == 0)
        {
            AddImage(Sources.Img, image);
        }
    }

    private bool LooksDecorative()
    {
        foreach (var attribute in (ReadOnlySpan<string>)["class", "id", "src"])
        {
            var value = AttrSpan(attribute);
            if (value.Contains("logo", StringComparison.OrdinalIgnoreCase) || value.Contains("avatar", StringComparison.OrdinalIgnoreCase)
                || value.Contains("icon", StringComparison.OrdinalIgnoreCase) || value.Contains("sprite", StringComparison.OrdinalIgnoreCase)
                || value.Contains("gravatar", StringComparison.OrdinalIgnoreCase) || value.Contains("emoji", StringComparison.OrdinalIgnoreCase)
                || value.Contains("masthead", StringComparison.OrdinalIgnoreCase) || value.Contains("banner", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private IEnumerable<string> ImageSources()
    {
        // Lazy loaders keep the real URL in data-* and a placeholder (data: URI, blank.gif) in src.
        foreach (var attribute in (string[])["data-src", "data-lazy-src", "data-original", "data-lazy", "data-url", "data-old-hires"])
        {
            if (Attr(attribute) is { Length: > 0 } value)
            {
                yield return value;
            }
        }

        foreach (var attribute in (string[])["data-srcset", "data-lazy-srcset", "srcset"])
        {
            if (FirstSrcsetUrl(Attr(attribute)) is { } value)
            {
                yield return value;
            }
        }

        if (Attr("src") is { Length: > 0 } src)
        {
            yield return src;
        }
    }

    private static string? FirstSrcsetUrl(string? srcset)
    {
        var first = srcset?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        var url = first?.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        return string.IsNullOrEmpty(url) ? null : url;
    }

    private void StartCapture(CardField field, string source)
    {
        var started = _capturesStarted.GetValueOrDefault(source);
        if (_captures.Count >= MaxActiveCaptures || Count(source) >= MaxCandidatesPerSource || started >= MaxCapturesPerSource)
        {
            return;
        }

        _capturesStarted[source] = started + 1;
        _result.CapturesStarted++;
        _captures.Add(new Capture(field, source, _depth, _tagStart, new StringBuilder()));
    }

    private void Finish(Capture capture)
    {
        var text = Decode(capture.Text.ToString());
        var value = capture.Source == Sources.DateText ? DateParser.FindText(text) : text;
        Add(capture.Field, capture.Source, value, capture.Start);
    }

    private void Add(CardField field, string source, string? value, int? position = null)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            AddLimited(source, () => _result.Candidates.Add(field, source, value), position);
        }
    }

    private void AddImage(string source, LinkImage? image)
    {
        if (image is not null)
        {
            AddLimited(source, () => _result.Candidates.Add(source, image));
        }
    }

    private void AddLimited(string source, Action add, int? position = null)
    {
        if (Count(source) < MaxCandidatesPerSource)
        {
            _perSource[source] = Count(source) + 1;
            _found.Add((position ?? _tagStart, _found.Count, add));
        }
    }

    private int Count(string source) => _perSource.TryGetValue(source, out var n) ? n : 0;

    private static string Decode(string text) => text.Contains('&') ? WebUtility.HtmlDecode(text) : text;

    /// <summary>Reads a tag's name and attributes from <paramref name="nameStart"/>; the position after its '>', or -1 at the end of input.</summary>
    private int ReadTag(int nameStart)
    {
        var html = _html;
        var length = html.Length;
        var i = nameStart;
        while (i < length && !IsWhiteSpace(html[i]) && html[i] != '/' && html[i] != '>')
        {
            i++;
        }

        _nameStart = nameStart;
        _nameLength = i - nameStart;
        _attributeCount = 0;
        _selfClosing = false;
        while (true)
        {
            while (i < length && (IsWhiteSpace(html[i]) || html[i] == '/'))
            {
                _selfClosing = html[i] == '/' && i + 1 < length && html[i + 1] == '>';
                i++;
            }

            if (i >= length)
            {
                return -1;
            }

            if (html[i] == '>')
            {
                return i + 1;
            }

            _selfClosing = false;
            var attributeName = i++;
            while (i < length && !IsWhiteSpace(html[i]) && html[i] is not ('/' or '>' or '='))
            {
                i++;
            }

            var attributeNameLength = i - attributeName;
            while (i < length && IsWhiteSpace(html[i]))
            {
                i++;
            }

            int valueStart = -1, valueLength = 0;
            if (i < length && html[i] == '=')
            {
                i++;
                while (i < length && IsWhiteSpace(html[i]))
                {
                    i++;
                }

                if (i >= length)
                {
                    return -1;
                }

                if (html[i] is '"' or '\'')
                {
                    var close = html.IndexOf(html[i], i + 1);
                    if (close < 0)
                    {
                        return -1;
                    }

                    valueStart = i + 1;
                    valueLength = close - valueStart;
                    i = close + 1;
                }
                else
                {
                    valueStart = i;
                    while (i < length && !IsWhiteSpace(html[i]) && html[i] != '>')
                    {
                        i++;
                    }

                    valueLength = i - valueStart;
                }
            }

            if (_attributeCount < MaxAttributes)
            {
                _attributes[_attributeCount++] = new Attribute(attributeName, attributeNameLength, valueStart, valueLength);
            }
        }
    }

    private static bool IsWhiteSpace(char c) => c is ' ' or '\t' or '\n' or '\r' or '\f';

    /// <summary>The first attribute named <paramref name="lowerName"/>: its entity-decoded value, "" when it has none, null when absent.</summary>
    private string? Attr(string lowerName)
    {
        for (var i = 0; i < _attributeCount; i++)
        {
            var attribute = _attributes[i];
            if (attribute.NameLength == lowerName.Length && _html.AsSpan(attribute.NameStart, attribute.NameLength).Equals(lowerName, StringComparison.OrdinalIgnoreCase))
            {
                return attribute.ValueStart < 0 ? string.Empty : Decode(_html.Substring(attribute.ValueStart, attribute.ValueLength));
            }
        }

        return null;
    }

    /// <summary>The element's microdata property, or its RDFa Lite one (<c>property="schema:name"</c>, as Drupal writes it).</summary>
    private string? ItemProp() =>
        !AttrSpan("itemprop").IsEmpty ? Attr("itemprop")
        : AttrSpan("property").StartsWith("schema:", StringComparison.OrdinalIgnoreCase) ? Attr("property")
        : null;

    /// <summary>Whether the element starts an item: microdata itemscope, or an RDFa Lite typeof.</summary>
    private bool StartsItem() => HasAttr("itemscope") || !AttrSpan("typeof").IsEmpty;

    private bool HasAttr(string lowerName)
    {
        for (var i = 0; i < _attributeCount; i++)
        {
            var attribute = _attributes[i];
            if (attribute.NameLength == lowerName.Length && _html.AsSpan(attribute.NameStart, attribute.NameLength).Equals(lowerName, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>An attribute's raw value without allocating (entities not decoded): for substring tests.</summary>
    private ReadOnlySpan<char> AttrSpan(string lowerName)
    {
        for (var i = 0; i < _attributeCount; i++)
        {
            var attribute = _attributes[i];
            if (attribute.NameLength == lowerName.Length && _html.AsSpan(attribute.NameStart, attribute.NameLength).Equals(lowerName, StringComparison.OrdinalIgnoreCase))
            {
                return attribute.ValueStart < 0 ? [] : _html.AsSpan(attribute.ValueStart, attribute.ValueLength);
            }
        }

        return [];
    }

    private static bool HasToken(string? value, string token) => HasToken(value.AsSpan(), token);

    private static bool HasToken(ReadOnlySpan<char> value, string token)
    {
        if (value.IsEmpty)
        {
            return false;
        }

        foreach (var part in value.Split(' '))
        {
            var word = value[part].Trim();

            // Full IRIs (http://schema.org/author) name the same property.
            var cut = word.LastIndexOfAny('/', '#', ':');
            if ((cut >= 0 ? word[(cut + 1)..] : word).Equals(token, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static int Hash(ReadOnlySpan<char> name)
    {
        var hash = unchecked((int)2166136261);
        foreach (var c in name)
        {
            hash = unchecked((hash ^ (c is >= 'A' and <= 'Z' ? c | 0x20 : c)) * 16777619);
        }

        return hash;
    }

    private static HashSet<int> Hashes(params string[] names) => [.. names.Select(n => Hash(n))];

    private static Tag Identify(int hash, ReadOnlySpan<char> name) =>
        s_tags.TryGetValue(hash, out var known) && name.Equals(known.Name, StringComparison.OrdinalIgnoreCase) ? known.Tag : Tag.Other;

    private static Dictionary<int, (string Name, Tag Tag)> BuildTags()
    {
        var tags = new Dictionary<int, (string, Tag)>();
        void Add(Tag tag, params string[] names)
        {
            foreach (var name in names)
            {
                tags[Hash(name)] = (name, tag);
            }
        }

        Add(Tag.Script, "script");
        Add(Tag.RawText, "style", "xmp", "iframe", "noembed", "noframes", "textarea");
        Add(Tag.Title, "title");
        Add(Tag.Plaintext, "plaintext");
        Add(Tag.Template, "template");
        Add(Tag.Meta, "meta");
        Add(Tag.Link, "link");
        Add(Tag.Img, "img");
        Add(Tag.Source, "source");
        Add(Tag.Video, "video");
        Add(Tag.Audio, "audio");
        Add(Tag.A, "a");
        Add(Tag.Time, "time");
        Add(Tag.Abbr, "abbr");
        Add(Tag.Article, "article");
        Add(Tag.Main, "main");
        Add(Tag.Nav, "nav");
        Add(Tag.Aside, "aside");
        Add(Tag.Footer, "footer");
        Add(Tag.Form, "form", "dialog", "select", "button");
        Add(Tag.H1, "h1");
        Add(Tag.P, "p");
        Add(Tag.Li, "li");
        Add(Tag.DtDd, "dt", "dd");
        Add(Tag.Option, "option");
        Add(Tag.Tr, "tr");
        Add(Tag.Cell, "td", "th");
        Add(Tag.Svg, "svg", "math");
        Add(Tag.Br, "br");
        Add(Tag.Container, "html", "head", "body");
        return tags;
    }

    [GeneratedRegex(@"(^|[/_.-])(1x1|pixel|spacer|blank|transparent|clear|tracking|tracker|beacon)([_.-][^/]*)?\.(gif|png|jpe?g|webp)$", RegexOptions.IgnoreCase)]
    private static partial Regex PixelNameRegex();

    [GeneratedRegex(@"display\s*:\s*none|visibility\s*:\s*hidden|(^|;)\s*(width|height)\s*:\s*[0-2](\.\d+)?px", RegexOptions.IgnoreCase)]
    private static partial Regex HiddenStyleRegex();

    private readonly record struct Attribute(int NameStart, int NameLength, int ValueStart, int ValueLength);

    private sealed record Capture(CardField Field, string Source, int Depth, int Start, StringBuilder Text);
}
