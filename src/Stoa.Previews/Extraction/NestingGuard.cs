namespace Stoa.Previews.Extraction;

/// <summary>
/// Bounds the parser's work on hostile markup. HTML tree construction walks the stack of open elements on many
/// insertions, so parsing is quadratic in nesting depth: 40,000 nested &lt;div&gt; (200 KB) cost AngleSharp about 9 s of
/// CPU, and the 2 MiB body cap alone would allow minutes. The page is cut (a) at the first tag nesting deeper than
/// <see cref="MaxDepth"/> (browsers cap depth too, Blink at 512) and (b) after <see cref="MaxStartTags"/> start tags,
/// a hard bound on the work whatever this scan and the parser disagree on. Cards come from the head and the first
/// content, so real pages lose nothing that matters.
/// The scan follows the tokenizer's tag syntax and the tree builder's main rules: end tags close their element only
/// when no scope boundary (table, td, object…) is open above it; void elements, self-closing foreign elements and
/// elements closed by their next sibling (p, li, td…) are not counted; HTML tags break out of SVG/MathML; raw-text
/// contents, comments and declarations are skipped.
/// </summary>
internal static class NestingGuard
{
    public const int MaxDepth = 256;
    public const int MaxStartTags = 12_000;

    private static readonly HashSet<string> s_uncounted = new(StringComparer.Ordinal)
    {
        // Void elements never have children.
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr",
        "basefont", "bgsound", "frame", "keygen", "image",

        // Elements whose start tag closes an open one of their kind, or that exist once.
        "p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th", "thead", "tbody", "tfoot", "rb", "rt", "rp", "rtc",
        "html", "head", "body",
    };

    // An end tag does not close an element below one of these (the tree builder's "has an element in scope").
    private static readonly HashSet<string> s_scopeBoundaries = new(StringComparer.Ordinal)
    {
        "applet", "caption", "html", "table", "td", "th", "marquee", "object", "template", "svg", "math",
        "foreignobject", "desc", "mi", "mo", "mn", "ms", "mtext", "annotation-xml",
    };

    // HTML start tags that break out of SVG/MathML: the tree builder pops the foreign elements first.
    private static readonly HashSet<string> s_foreignBreakout = new(StringComparer.Ordinal)
    {
        "b", "big", "blockquote", "body", "br", "center", "code", "dd", "div", "dl", "dt", "em", "embed", "h1", "h2", "h3",
        "h4", "h5", "h6", "head", "hr", "i", "img", "li", "listing", "menu", "meta", "nobr", "ol", "p", "pre", "ruby", "s",
        "small", "span", "strong", "strike", "sub", "sup", "table", "tt", "u", "ul", "var", "font",
    };

    private static readonly HashSet<string> s_rawText = new(StringComparer.Ordinal)
    {
        "script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes",
    };

    /// <returns><paramref name="html"/>, or its prefix up to the tag where a limit is reached.</returns>
    public static string Truncate(string html, int maxDepth = MaxDepth, int maxStartTags = MaxStartTags)
    {
        var open = new List<string>(64);
        var startTags = 0;
        var i = 0;
        while (true)
        {
            var lt = html.IndexOf('<', i);
            if (lt < 0 || lt + 2 >= html.Length)
            {
                return html;
            }

            var next = html[lt + 1];
            if (next is '!' or '?' || (next == '/' && !char.IsAsciiLetter(html[lt + 2])))
            {
                i = SkipMarkupDeclaration(html, lt);
                continue;
            }

            var isEnd = next == '/';
            var nameStart = lt + (isEnd ? 2 : 1);
            if (!char.IsAsciiLetter(html[nameStart]))
            {
                i = lt + 1;
                continue;
            }

            // As the tokenizer does: a tag name runs to whitespace, '/' or '>', whatever it contains.
            var nameEnd = nameStart;
            while (nameEnd < html.Length && html[nameEnd] is not (' ' or '\t' or '\n' or '\f' or '\r' or '/' or '>'))
            {
                nameEnd++;
            }

            var name = html[nameStart..nameEnd].ToLowerInvariant();
            var (gt, selfClosing) = TagEnd(html, nameEnd);
            if (gt < 0)
            {
                return html;
            }

            i = gt + 1;
            if (isEnd)
            {
                Close(open, name);
                continue;
            }

            if (++startTags > maxStartTags)
            {
                return html[..lt];
            }

            if (name == "plaintext")
            {
                // Everything after <plaintext> is text to the parser.
                return html;
            }

            if (s_rawText.Contains(name))
            {
                var close = html.IndexOf("</" + name, i, StringComparison.OrdinalIgnoreCase);
                if (close < 0)
                {
                    return html;
                }

                i = close;
                continue;
            }

            var foreign = open.FindLastIndex(e => e is "svg" or "math");
            if (foreign >= 0 && s_foreignBreakout.Contains(name))
            {
                open.RemoveRange(foreign, open.Count - foreign);
                foreign = -1;
            }

            // "/>" closes an element only in SVG/MathML; on an HTML element the parser ignores it (<div/> stays open).
            if (s_uncounted.Contains(name) || (selfClosing && foreign >= 0))
            {
                continue;
            }

            if (open.Count >= maxDepth)
            {
                return html[..lt];
            }

            open.Add(name);
        }
    }

    private static void Close(List<string> open, string name)
    {
        for (var k = open.Count - 1; k >= 0; k--)
        {
            if (open[k] == name)
            {
                open.RemoveRange(k, open.Count - k);
                return;
            }

            if (s_scopeBoundaries.Contains(open[k]))
            {
                return;
            }
        }
    }

    private static int SkipMarkupDeclaration(string html, int lt)
    {
        if (string.CompareOrdinal(html, lt, "<!--", 0, 4) == 0)
        {
            var end = html.IndexOf("-->", lt + 4, StringComparison.Ordinal);
            return end < 0 ? html.Length : end + 3;
        }

        var gt = html.IndexOf('>', lt);
        return gt < 0 ? html.Length : gt + 1;
    }

    private enum State
    {
        TagName,
        BeforeAttributeName,
        AttributeName,
        AfterAttributeName,
        BeforeAttributeValue,
        QuotedValue,
        AfterQuotedValue,
        UnquotedValue,
        SelfClosingStart,
    }

    /// <summary>The '>' ending a tag, found with the tokenizer's attribute states so quotes are read as it reads them.</summary>
    private static (int Index, bool SelfClosing) TagEnd(string html, int from)
    {
        var state = State.TagName;
        var quote = '\0';
        for (var j = from; j < html.Length; j++)
        {
            var c = html[j];
            var space = c is ' ' or '\t' or '\n' or '\f' or '\r';
            switch (state)
            {
                case State.TagName:
                case State.UnquotedValue:
                    if (space)
                    {
                        state = State.BeforeAttributeName;
                    }
                    else if (c == '/' && state == State.TagName)
                    {
                        state = State.SelfClosingStart;
                    }
                    else if (c == '>')
                    {
                        return (j, false);
                    }

                    break;
                case State.BeforeAttributeName:
                    if (c is '/' or '>')
                    {
                        state = State.AfterAttributeName;
                        j--;
                    }
                    else if (!space)
                    {
                        state = State.AttributeName;
                    }

                    break;
                case State.AttributeName:
                    if (space || c is '/' or '>')
                    {
                        state = State.AfterAttributeName;
                        j--;
                    }
                    else if (c == '=')
                    {
                        state = State.BeforeAttributeValue;
                    }

                    break;
                case State.AfterAttributeName:
                    if (c == '/')
                    {
                        state = State.SelfClosingStart;
                    }
                    else if (c == '=')
                    {
                        state = State.BeforeAttributeValue;
                    }
                    else if (c == '>')
                    {
                        return (j, false);
                    }
                    else if (!space)
                    {
                        state = State.AttributeName;
                    }

                    break;
                case State.BeforeAttributeValue:
                    if (c is '"' or '\'')
                    {
                        quote = c;
                        state = State.QuotedValue;
                    }
                    else if (c == '>')
                    {
                        return (j, false);
                    }
                    else if (!space)
                    {
                        state = State.UnquotedValue;
                    }

                    break;
                case State.QuotedValue:
                    if (c == quote)
                    {
                        state = State.AfterQuotedValue;
                    }

                    break;
                case State.AfterQuotedValue:
                    if (space)
                    {
                        state = State.BeforeAttributeName;
                    }
                    else if (c == '/')
                    {
                        state = State.SelfClosingStart;
                    }
                    else if (c == '>')
                    {
                        return (j, false);
                    }
                    else
                    {
                        state = State.BeforeAttributeName;
                        j--;
                    }

                    break;
                case State.SelfClosingStart:
                    if (c == '>')
                    {
                        return (j, true);
                    }

                    state = State.BeforeAttributeName;
                    j--;
                    break;
            }
        }

        return (-1, false);
    }
}
