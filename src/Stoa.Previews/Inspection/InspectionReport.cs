using System.Globalization;
using System.Text;
using Stoa.Previews.Core;

namespace Stoa.Previews.Inspection;

/// <summary>What <c>stoa previews inspect</c> prints: how the page was read, then each field with its value and its candidates in precedence order.</summary>
internal static class InspectionReport
{
    private const int ValueWidth = 72;

    public static string Format(PreviewInspection inspection)
    {
        var card = inspection.Card;
        var facts = inspection.Facts;
        var text = new StringBuilder();
        text.AppendLine(card.Url);
        if (card.ContentType is not "text/html")
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {Shorten(card.ContentType ?? "?")}: described from its headers");
        }
        else
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {facts.Bytes:N0} bytes read, decoded as {facts.Charset} ({facts.CharsetSource})");
            text.AppendLine(facts.ReadPastHead
                ? facts.MissingAfterHead.Count > 0
                    ? $"  read past </head> for: {string.Join(", ", facts.MissingAfterHead)}"
                    : "  read to the end (no </head> seen)"
                : "  stopped at </head>: the head had every field");
            text.AppendLine(facts.OEmbedUrl is null ? "  oEmbed: none" : $"  oEmbed ({facts.OEmbedSource}): {facts.OEmbedUrl}");
            if (facts.ManifestUrl is not null)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"  manifest (for a logo): {facts.ManifestUrl}");
            }

            text.AppendLine(CultureInfo.InvariantCulture, $"  extraction: {facts.ExtractMilliseconds:0.00} ms");
        }

        foreach (var field in inspection.Fields)
        {
            text.AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture, $"{field.Field}: {(field.Value is null ? "(none)" : Shorten(field.Value))}");
            foreach (var candidate in field.Candidates)
            {
                var marker = candidate.Outcome == "chosen" ? "*" : candidate.Outcome is "listed" or "duplicate" ? "+" : "-";
                text.AppendLine(CultureInfo.InvariantCulture, $"  {marker} {candidate.Source,-34} {Shorten(candidate.Value),-ValueWidth}  {candidate.Outcome}");
            }
        }

        if (card.Embed is { } embed)
        {
            text.AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture, $"embed: {Shorten(embed.Type ?? "?")} from {Shorten(embed.ProviderName ?? "?")}{(embed.Html is null ? string.Empty : " (with html)")}");
        }

        return text.ToString();
    }

    /// <summary>
    /// One line of at most <see cref="ValueWidth"/> characters. Candidates are printed as the page wrote them, so control
    /// characters (an escape sequence would drive the terminal) and bidi overrides (they reorder what follows) are
    /// replaced before they reach it.
    /// </summary>
    private static string Shorten(string value)
    {
        var length = Math.Min(value.Length, ValueWidth);
        var line = string.Create(length, value, static (span, source) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                var c = source[i];
                span[i] = char.IsWhiteSpace(c) ? ' ' : char.IsControl(c) || c is (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069') ? '\uFFFD' : c;
            }
        });
        return value.Length <= ValueWidth ? line : string.Concat(line.AsSpan(0, ValueWidth - 1), "…");
    }
}
