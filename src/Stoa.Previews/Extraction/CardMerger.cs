using System.Text.RegularExpressions;
using Stoa.Previews.Core;

namespace Stoa.Previews.Extraction;

/// <summary>
/// Builds the card from every candidate, ranked by <see cref="Sources.Order"/>: each field takes the first acceptable
/// value of the best-ranked source. Texts are cleaned and capped here, once; dates parsed; authors reduced to names
/// (a handle only when no name is offered). Images come from the best tier that has one (declared, then oEmbed, then the
/// markup), deduplicated by URL with missing details filled from duplicates; videos and audios list every source.
/// Optionally records, per field, why each candidate won or lost.
/// </summary>
internal static partial class CardMerger
{
    public const int MaxImages = 8;
    public const int MaxVideos = 4;
    public const int MaxAudios = 4;

    private const string Chosen = "chosen";
    private const string Listed = "listed";
    private const string LowerPriority = "lower priority";

    private static readonly string[] s_displayOrder = [.. Enum.GetValues<CardField>().Select(Name)];

    public static LinkCard Merge(Uri finalUrl, string? contentType, CandidateList candidates, LinkEmbed? embed, List<FieldDecision>? report = null)
    {
        var ranked = candidates.Items
            .Select((candidate, index) => (Candidate: candidate, Index: index))
            .OrderBy(c => Sources.Rank(c.Candidate.Field, c.Candidate.Source))
            .ThenBy(c => c.Index)
            .Select(c => c.Candidate)
            .ToLookup(c => c.Field);

        var siteName = Pick(ranked, CardField.SiteName, report, v => Ok(TextNormalizer.Clean(v, TextNormalizer.MaxShort)));

        // Every name the page gives itself, best first: a title may carry any of them.
        var siteNames = ranked[CardField.SiteName]
            .Select(c => TextNormalizer.Clean(c.Display, TextNormalizer.MaxShort))
            .OfType<string>()
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .OrderByDescending(n => n.Length)
            .ToList();

        var card = new LinkCard
        {
            Url = finalUrl.AbsoluteUri,
            CanonicalUrl = Pick(ranked, CardField.Url, report, Ok),
            Title = Pick(ranked, CardField.Title, report, v => Ok(Title(v, siteNames))),
            Description = Pick(ranked, CardField.Description, report, v => Ok(TextNormalizer.Clean(v, TextNormalizer.MaxDescription))),
            SiteName = siteName,
            Type = Pick(ranked, CardField.Type, report, v => Ok(TextNormalizer.Clean(v, 50)?.ToLowerInvariant())) ?? "website",
            Locale = Pick(ranked, CardField.Locale, report, v => Locale(v) is { } locale ? (locale, null) : (null, "not a language tag")),
            Author = Author(ranked, report, siteNames),
            PublishedAt = Date(ranked, CardField.Published, report),
            ModifiedAt = Date(ranked, CardField.Modified, report),
            Favicon = Pick(ranked, CardField.Favicon, report, Ok),
            Logo = Pick(ranked, CardField.Logo, report, Ok),
            ThemeColor = Pick(ranked, CardField.ThemeColor, report, v => ThemeColor(v) is { } color ? (color, null) : (null, "not a CSS color")),
            Images = Images(ranked, report),
            Videos = Media<LinkVideo>(ranked, CardField.Video, MaxVideos, v => v.Url, report),
            Audios = Media<LinkAudio>(ranked, CardField.Audio, MaxAudios, a => a.Url, report),
            ContentType = contentType ?? "text/html",
            Embed = embed,
        };

        report?.Sort((a, b) => Array.IndexOf(s_displayOrder, a.Field).CompareTo(Array.IndexOf(s_displayOrder, b.Field)));
        return card;
    }

    /// <summary>Which of the fields a card needs are still empty: what a page's body is read for.</summary>
    public static IReadOnlyList<string> Missing(LinkCard card)
    {
        var missing = new List<string>();
        if (card.Title is null)
        {
            missing.Add("title");
        }

        if (card.Description is null)
        {
            missing.Add("description");
        }

        if (card.Images.Count == 0)
        {
            missing.Add("image");
        }

        // A handle, or the outlet credited as author, is no person: a byline in the body may name one.
        if (card.Author is null || TextNormalizer.IsHandle(card.Author) || (card.SiteName is { } site && TextNormalizer.IsSiteName(card.Author, [site])))
        {
            missing.Add("author");
        }

        if (card.PublishedAt is null)
        {
            missing.Add("published");
        }

        if (card.SiteName is null)
        {
            missing.Add("publisher");
        }

        var type = card.Type ?? string.Empty;
        if (card.Videos.Count == 0 && type.StartsWith("video", StringComparison.Ordinal))
        {
            missing.Add("video");
        }

        if (card.Audios.Count == 0 && (type.StartsWith("music", StringComparison.Ordinal) || type is "audio" or "podcast"))
        {
            missing.Add("audio");
        }

        return missing;
    }

    private static (string? Value, string? Rejection) Ok(string? value) => (value, value is null ? "blank" : null);

    private static string? Title(string value, List<string> siteNames)
    {
        // Strip before capping: the site name sits at the end, which a cap would cut first. (A title longer than this
        // loses its end to the cap anyway.)
        var clean = TextNormalizer.Clean(value, 4 * TextNormalizer.MaxTitle);
        return clean is null ? null : TextNormalizer.Truncate(TextNormalizer.StripSiteName(clean, siteNames), TextNormalizer.MaxTitle);
    }

    /// <summary>The first acceptable value in rank order; the rest are recorded as lost.</summary>
    private static string? Pick(
        ILookup<CardField, Candidate> ranked, CardField field, List<FieldDecision>? report, Func<string, (string? Value, string? Rejection)> accept)
    {
        string? chosen = null;
        var outcomes = report is null ? null : new List<CandidateOutcome>();
        foreach (var candidate in ranked[field])
        {
            if (candidate.Value is not string raw)
            {
                continue;
            }

            if (chosen is not null && outcomes is null)
            {
                break;
            }

            var (value, rejection) = accept(raw);
            string outcome;
            if (value is null)
            {
                outcome = "rejected: " + rejection;
            }
            else if (chosen is null)
            {
                chosen = value;
                outcome = Chosen;
            }
            else
            {
                outcome = value == chosen ? "duplicate" : LowerPriority;
            }

            outcomes?.Add(new CandidateOutcome(candidate.Source, raw, outcome));
        }

        report?.Add(new FieldDecision(Name(field), chosen, outcomes!));
        return chosen;
    }

    /// <summary>
    /// A person's name first; the publisher's own name (an outlet credited as author) only when no person is named; a
    /// handle (@jane) only when no name at all is offered.
    /// </summary>
    private static string? Author(ILookup<CardField, Candidate> ranked, List<FieldDecision>? report, List<string> siteNames)
    {
        var normalized = ranked[CardField.Author]
            .Where(c => c.Value is string)
            .Select(c => (Candidate: c, Result: TextNormalizer.Author(
                c.Source == Sources.MetaCitationAuthor ? TextNormalizer.FirstNameFirst((string)c.Value) : (string)c.Value,
                Sources.GuessedAuthors.Contains(c.Source), siteNames)))
            .ToList();
        var chosen = normalized.FirstOrDefault(n => n.Result.Name is { } name && !TextNormalizer.IsHandle(name) && !TextNormalizer.IsSiteName(name, siteNames)
                && n.Candidate.Source != Sources.JsonLdAuthorOrganization).Result.Name
            ?? normalized.FirstOrDefault(n => n.Result.Name is { } name && !TextNormalizer.IsHandle(name)).Result.Name
            ?? normalized.FirstOrDefault(n => n.Result.Name is not null).Result.Name;
        if (report is not null)
        {
            var seen = false;
            report.Add(new FieldDecision(Name(CardField.Author), chosen, [.. normalized.Select(n =>
            {
                string outcome;
                if (n.Result.Name is null)
                {
                    outcome = "rejected: " + n.Result.Rejection;
                }
                else if (n.Result.Name == chosen && !seen)
                {
                    seen = true;
                    outcome = Chosen;
                }
                else if (n.Result.Name == chosen)
                {
                    outcome = "duplicate";
                }
                else
                {
                    outcome = TextNormalizer.IsHandle(n.Result.Name) ? "lower priority: a handle, and a name is preferred"
                        : TextNormalizer.IsSiteName(n.Result.Name, siteNames) || n.Candidate.Source == Sources.JsonLdAuthorOrganization
                            ? "lower priority: the publisher, and a person is preferred"
                            : LowerPriority;
                }

                return new CandidateOutcome(n.Candidate.Source, (string)n.Candidate.Value, outcome);
            })]));
        }

        return chosen;
    }

    private static DateTimeOffset? Date(ILookup<CardField, Candidate> ranked, CardField field, List<FieldDecision>? report)
    {
        DateTimeOffset? date = null;
        var text = Pick(ranked, field, report, raw =>
        {
            var parsed = DateParser.ParseOrFind(raw);
            return parsed is null
                ? (null, "not a date (or before 1900, or more than a year ahead)")
                : (parsed.Value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture), null);
        });
        if (text is not null)
        {
            date = DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal);
        }

        return date;
    }

    /// <summary>Images of the best tier that has one; within it, in rank order, merged by URL.</summary>
    private static List<LinkImage> Images(ILookup<CardField, Candidate> ranked, List<FieldDecision>? report)
    {
        var result = new List<LinkImage>();
        var outcomes = report is null ? null : new List<CandidateOutcome>();
        var chosenTier = -1;
        foreach (var candidate in ranked[CardField.Image])
        {
            var image = (LinkImage)candidate.Value;
            var tier = Array.FindIndex(Sources.ImageTiers, t => t.Contains(candidate.Source));
            string outcome;
            if (chosenTier >= 0 && tier > chosenTier)
            {
                outcome = "lower tier: a declared image exists";
            }
            else
            {
                chosenTier = tier;
                var index = result.FindIndex(i => i.Url == image.Url);
                if (index >= 0)
                {
                    var known = result[index];
                    result[index] = known with
                    {
                        Width = known.Width ?? image.Width,
                        Height = known.Height ?? image.Height,
                        Alt = known.Alt ?? TextNormalizer.Clean(image.Alt, TextNormalizer.MaxAlt),
                        Type = known.Type ?? image.Type,
                    };
                    outcome = "duplicate (details merged)";
                }
                else if (result.Count < MaxImages)
                {
                    outcome = result.Count == 0 ? Chosen : Listed;
                    result.Add(image with { Alt = TextNormalizer.Clean(image.Alt, TextNormalizer.MaxAlt) });
                }
                else
                {
                    outcome = $"dropped: more than {MaxImages} images";
                }
            }

            outcomes?.Add(new CandidateOutcome(candidate.Source, image.Url, outcome));
        }

        report?.Add(new FieldDecision(Name(CardField.Image), result.FirstOrDefault()?.Url, outcomes!));
        return result;
    }

    private static List<T> Media<T>(ILookup<CardField, Candidate> ranked, CardField field, int max, Func<T, string> url, List<FieldDecision>? report)
    {
        var result = new List<T>();
        var outcomes = report is null ? null : new List<CandidateOutcome>();
        foreach (var candidate in ranked[field])
        {
            if (candidate.Value is not T item)
            {
                continue;
            }

            string outcome;
            if (result.Exists(r => url(r) == url(item)))
            {
                outcome = "duplicate";
            }
            else if (result.Count < max)
            {
                outcome = result.Count == 0 ? Chosen : Listed;
                result.Add(item);
            }
            else
            {
                outcome = $"dropped: more than {max}";
            }

            outcomes?.Add(new CandidateOutcome(candidate.Source, url(item), outcome));
        }

        report?.Add(new FieldDecision(Name(field), result.Count > 0 ? url(result[0]) : null, outcomes!));
        return result;
    }

    private static string Name(CardField field) => field switch
    {
        CardField.Url => "canonicalUrl",
        CardField.SiteName => "siteName",
        CardField.Published => "publishedAt",
        CardField.Modified => "modifiedAt",
        CardField.ThemeColor => "themeColor",
        CardField.Image => "images",
        CardField.Video => "videos",
        CardField.Audio => "audios",
        _ => field.ToString().ToLowerInvariant(),
    };

    /// <summary>BCP 47 form: og:locale's en_US becomes en-US; anything that is no language tag is dropped.</summary>
    private static string? Locale(string? value)
    {
        var cleaned = TextNormalizer.Clean(value, 35)?.Replace('_', '-');
        return cleaned is not null && LocaleRegex().IsMatch(cleaned) ? cleaned : null;
    }

    private static string? ThemeColor(string? value)
    {
        var cleaned = TextNormalizer.Clean(value, 64);
        return cleaned is not null && ColorRegex().IsMatch(cleaned) ? cleaned : null;
    }

    [GeneratedRegex("^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$")]
    private static partial Regex LocaleRegex();

    // Hex, functional (rgb/hsl/…) or named colours: enough to keep markup or script out of a field clients put in CSS.
    [GeneratedRegex(@"^(#[0-9A-Fa-f]{3,8}|[a-z]{3,20}\([0-9.,%\s/a-z-]{1,40}\)|[A-Za-z]{3,30})$")]
    private static partial Regex ColorRegex();
}
