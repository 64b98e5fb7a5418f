using System.Text;

namespace Stoa.Previews.Tests;

/// <summary>
/// Gives a small page the weight of a real one: before its &lt;/body&gt;, the bulk pages carry besides their content
/// (a navigation menu, an SVG sprite, a related-posts sidebar and a comment thread with their own bylines and dates, an
/// inline script bundle, a JSON hydration blob, a footer of links). None of it may change the card: it sits in regions
/// a card ignores, and holds no &lt;article&gt;. Shared with bench/Stoa.Bench.
/// </summary>
public static class RealisticPage
{
    public static string Embed(string html, int kilobytes)
    {
        if (kilobytes <= 0)
        {
            return html;
        }

        var filler = Filler(kilobytes * 1024 - html.Length);
        var body = html.LastIndexOf("</body", StringComparison.OrdinalIgnoreCase);
        return body < 0 ? html + filler : html.Insert(body, filler);
    }

    private static string Filler(int bytes)
    {
        var text = new StringBuilder(Math.Max(bytes, 0) + 4096);
        text.Append("<div class=\"site-nav\"><nav aria-label=\"Sections\"><ul class=\"menu\">");
        for (var i = 0; i < 80; i++)
        {
            text.Append("<li class=\"menu-item menu-item-type-taxonomy\"><a href=\"/section/").Append(i).Append("/\">Section ").Append(i).Append("</a></li>");
        }

        text.Append("</ul></nav></div><svg xmlns=\"http://www.w3.org/2000/svg\" style=\"display:none\">");
        for (var i = 0; i < 30; i++)
        {
            text.Append("<symbol id=\"icon-").Append(i).Append("\" viewBox=\"0 0 24 24\"><title>Icon ").Append(i)
                .Append("</title><path d=\"M12 2C6.48 2 2 6.48 2 12s4.48 10 10 10 10-4.48 10-10S17.52 2 12 2zm0 18c-4.41 0-8-3.59-8-8s3.59-8 8-8 8 3.59 8 8-3.59 8-8 8z\"/></symbol>");
        }

        text.Append("</svg><aside class=\"sidebar widget-area\"><section class=\"related-posts\"><h2>Related</h2><ul>");
        for (var i = 0; i < 12; i++)
        {
            text.Append("<li><a href=\"/2023/0").Append(i % 9 + 1).Append("/1").Append(i % 9).Append("/related-").Append(i).Append("/\"><img src=\"/thumbs/related-")
                .Append(i).Append(".jpg\" width=\"150\" height=\"100\" alt=\"\">Related story ").Append(i).Append("</a><span class=\"byline\">By Other Writer ")
                .Append(i).Append("</span><time datetime=\"2023-0").Append(i % 9 + 1).Append("-10T08:00:00Z\">Earlier</time></li>");
        }

        text.Append("</ul></section></aside><div id=\"comments\" class=\"comments-area\"><ol class=\"comment-list\">");
        for (var i = 0; i < 25; i++)
        {
            text.Append("<li class=\"comment\"><div class=\"comment-author vcard\"><img class=\"avatar\" src=\"/avatars/").Append(i)
                .Append(".png\" width=\"40\" height=\"40\" alt=\"\"><b class=\"fn\">Reader Number").Append(i)
                .Append("</b></div><div class=\"comment-metadata\"><time datetime=\"2024-01-0").Append(i % 9 + 1)
                .Append("T10:00:00Z\">January</time></div><div class=\"comment-content\"><p>Thanks for writing this up &mdash; the part about the second step was exactly what I needed. ")
                .Append("I tried it on our setup and it <em>mostly</em> worked.</p></div></li>");
        }

        text.Append("</ol></div>");
        var target = Math.Max(bytes, text.Length);
        var script = (int)(target * 0.35);
        var state = (int)(target * 0.2);
        text.Append("<script>");
        while (text.Length < target - state - 4096)
        {
            text.Append("!function(e){var t={};function n(r){if(t[r])return t[r].exports;var o=t[r]={i:r,l:!1,exports:{}};return e[r].call(o.exports,o,o.exports,n),o.l=!0,o.exports}n.m=e,n.c=t,n.d=function(e,t,r){n.o(e,t)||Object.defineProperty(e,t,{enumerable:!0,get:r})};var s=\"<div class='byline'>\"+e+\"</div>\";}([]);\n");
            if (text.Length > script * 3)
            {
                break;
            }
        }

        text.Append("</script><script id=\"__NEXT_DATA__\" type=\"application/json\">{\"props\":{\"pageProps\":{\"items\":[");
        while (text.Length < target - 3072)
        {
            text.Append("{\"id\":8812,\"title\":\"A headline that is not this page\",\"author\":{\"name\":\"Someone Else\"},\"date\":\"2021-01-01T00:00:00Z\",\"href\":\"/a/b/c\"},");
        }

        text.Append("{}]}}}</script><footer class=\"site-footer\"><div class=\"footer-links\">");
        for (var i = 0; i < 60; i++)
        {
            text.Append("<a href=\"/about/").Append(i).Append("\">Footer link ").Append(i).Append("</a> ");
        }

        return text.Append("</div></footer>").ToString();
    }
}
