using Markdig;
using Markdig.Renderers;
using Markdig.Renderers.Html;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace Stoa.Comments.Core;

/// <summary>
/// Markdown to HTML that is safe to insert into a page: raw HTML is escaped (not passed through), only http, https and
/// mailto links survive (everything else becomes its text), images become links (no tracking pixels, no
/// <c>data:</c> payloads), and every link carries <c>rel="nofollow ugc noopener"</c>. Link targets are checked after
/// Markdig has decoded entities and escapes, so <c>&amp;#106;avascript:</c> is seen as what a browser would see.
/// </summary>
internal static class CommentBodyRenderer
{
    public const string LinkRel = "nofollow ugc noopener";
    public const int MaxPreviewedLinks = 3;

    private static readonly MarkdownPipeline s_pipeline = new MarkdownPipelineBuilder()
        .UseAutoLinks()
        .DisableHtml()
        .Build();

    /// <summary>The HTML and the distinct http(s) URLs worth a link card, in order of appearance.</summary>
    public static (string Html, IReadOnlyList<Uri> Urls) Render(string markdown)
    {
        var document = Markdown.Parse(markdown, s_pipeline);
        var urls = new List<Uri>();
        foreach (var link in document.Descendants<LinkInline>().ToList())
        {
            link.IsImage = false;
            if (SafeUri(link.Url) is { } uri)
            {
                link.Url = uri.AbsoluteUri;
                link.GetAttributes().AddProperty("rel", LinkRel);
                Collect(urls, uri);
            }
            else
            {
                link.ReplaceBy(new LiteralInline(PlainText(link)), copyChildren: false);
            }
        }

        foreach (var autolink in document.Descendants<AutolinkInline>().ToList())
        {
            var uri = SafeUri(autolink.IsEmail ? "mailto:" + autolink.Url : autolink.Url);
            if (uri is null)
            {
                autolink.ReplaceBy(new LiteralInline(autolink.Url), copyChildren: false);
            }
            else
            {
                if (!autolink.IsEmail)
                {
                    autolink.Url = uri.AbsoluteUri;
                }

                autolink.GetAttributes().AddProperty("rel", LinkRel);
                Collect(urls, uri);
            }
        }

        using var writer = new StringWriter();
        var renderer = new HtmlRenderer(writer);
        s_pipeline.Setup(renderer);
        renderer.Render(document);
        writer.Flush();
        return (writer.ToString(), urls);
    }

    private static Uri? SafeUri(string? url)
    {
        if (string.IsNullOrWhiteSpace(url) || !Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri))
        {
            return null;
        }

        return uri.Scheme is "http" or "https" or "mailto" ? uri : null;
    }

    private static void Collect(List<Uri> urls, Uri uri)
    {
        if (uri.Scheme is "http" or "https" && urls.Count < MaxPreviewedLinks && !urls.Contains(uri))
        {
            urls.Add(uri);
        }
    }

    private static string PlainText(ContainerInline container)
    {
        var text = new System.Text.StringBuilder();
        foreach (var inline in container.Descendants<Inline>())
        {
            switch (inline)
            {
                case LiteralInline literal:
                    text.Append(literal.Content.ToString());
                    break;
                case CodeInline code:
                    text.Append(code.Content);
                    break;
            }
        }

        return text.ToString();
    }
}
