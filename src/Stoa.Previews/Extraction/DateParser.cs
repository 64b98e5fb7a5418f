using System.Globalization;
using System.Text.RegularExpressions;

namespace Stoa.Previews.Extraction;

/// <summary>
/// Reads the dates pages really publish: ISO 8601 (full, partial, with a space for the T, a +0200 or +02 offset),
/// RFC 1123/822 (<c>Fri, 17 May 2024 10:00:00 GMT</c>), US and European month-name forms (<c>May 17, 2024 3:45 PM
/// PDT</c>, <c>17 May 2024</c>), JavaScript's <c>Date.toString()</c>, compact <c>20240517</c>, slashed
/// <c>2024/05/17</c>, and Unix times in seconds or milliseconds. North American, European and a few Asian zone
/// abbreviations are known; a date without zone is read as UTC. Anything before 1900 or more than a year ahead is
/// refused as a misreading.
/// </summary>
internal static partial class DateParser
{
    private static readonly Dictionary<string, int> s_zoneMinutes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Z"] = 0, ["UT"] = 0, ["UTC"] = 0, ["GMT"] = 0, ["WET"] = 0,
        ["EST"] = -300, ["EDT"] = -240, ["CST"] = -360, ["CDT"] = -300, ["MST"] = -420, ["MDT"] = -360,
        ["PST"] = -480, ["PDT"] = -420, ["AKST"] = -540, ["AKDT"] = -480, ["HST"] = -600, ["AST"] = -240, ["ADT"] = -180,
        ["NST"] = -210, ["NDT"] = -150, ["ET"] = -300, ["PT"] = -480, ["CT"] = -360, ["MT"] = -420,
        ["BST"] = 60, ["IST"] = 330, ["WEST"] = 60, ["CET"] = 60, ["CEST"] = 120, ["MEZ"] = 60, ["MESZ"] = 120,
        ["EET"] = 120, ["EEST"] = 180, ["MSK"] = 180, ["SAST"] = 120, ["PKT"] = 300, ["SGT"] = 480, ["HKT"] = 480,
        ["JST"] = 540, ["KST"] = 540, ["AWST"] = 480, ["ACST"] = 570, ["ACDT"] = 630, ["AEST"] = 600, ["AEDT"] = 660,
        ["NZST"] = 720, ["NZDT"] = 780,
    };

    private static readonly Dictionary<string, int> s_months = new(StringComparer.OrdinalIgnoreCase)
    {
        ["jan"] = 1, ["january"] = 1, ["feb"] = 2, ["february"] = 2, ["mar"] = 3, ["march"] = 3, ["apr"] = 4, ["april"] = 4,
        ["may"] = 5, ["jun"] = 6, ["june"] = 6, ["jul"] = 7, ["july"] = 7, ["aug"] = 8, ["august"] = 8, ["sep"] = 9,
        ["sept"] = 9, ["september"] = 9, ["oct"] = 10, ["october"] = 10, ["nov"] = 11, ["november"] = 11, ["dec"] = 12,
        ["december"] = 12,
    };

    /// <returns>The instant in UTC, or null when <paramref name="value"/> is no date this parser recognises.</returns>
    public static DateTimeOffset? Parse(string? value, DateTimeOffset? now = null)
    {
        var text = value?.Trim();
        if (string.IsNullOrEmpty(text) || text.Length > 100)
        {
            return null;
        }

        var parsed = ParseIso(text) ?? ParseEpoch(text) ?? ParseCompact(text) ?? ParseWords(text) ?? ParseNumeric(text);
        return parsed is { } date && Plausible(date, now ?? DateTimeOffset.UtcNow) ? date.ToUniversalTime() : null;
    }

    /// <summary>The first date written out in free text (a byline's "Updated May 17, 2024, 3:45 PM EDT"), as written.</summary>
    public static string? FindText(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var match = DateInTextRegex().Match(text.Length > 500 ? text[..500] : text);
        return match.Success ? match.Value : null;
    }

    /// <summary>A date field's value: a date alone, or failing that the first date in the text.</summary>
    public static DateTimeOffset? ParseOrFind(string? text, DateTimeOffset? now = null) => Parse(text, now) ?? Parse(FindText(text), now);

    /// <summary>The date in a URL path (<c>/2024/05/17/slug</c>, <c>/2024-05-17-slug</c>), as midnight UTC.</summary>
    public static DateTimeOffset? FromUrl(Uri url, DateTimeOffset? now = null)
    {
        var match = UrlDateRegex().Match(url.AbsolutePath);
        if (!match.Success)
        {
            return null;
        }

        var date = Create(Int(match.Groups["y"].Value), Int(match.Groups["m"].Value), Int(match.Groups["d"].Value), 0, 0, 0, 0, TimeSpan.Zero);
        return date is { } d && Plausible(d, now ?? DateTimeOffset.UtcNow) ? d : null;
    }

    private static bool Plausible(DateTimeOffset date, DateTimeOffset now) => date.Year >= 1900 && date <= now.AddYears(1);

    private static DateTimeOffset? ParseIso(string text)
    {
        var m = IsoRegex().Match(text);
        if (!m.Success)
        {
            return null;
        }

        var month = m.Groups["m"].Success ? Int(m.Groups["m"].Value) : 1;
        var day = m.Groups["d"].Success ? Int(m.Groups["d"].Value) : 1;
        var fraction = m.Groups["f"].Success ? Fraction(m.Groups["f"].Value) : 0;
        var offset = m.Groups["z"].Success ? Offset(m.Groups["z"].Value) : TimeSpan.Zero;
        if (offset is null)
        {
            return null;
        }

        return Create(
            Int(m.Groups["y"].Value), month, day, Int(m.Groups["h"].Value), Int(m.Groups["min"].Value), Int(m.Groups["s"].Value), fraction, offset.Value);
    }

    private static DateTimeOffset? ParseEpoch(string text)
    {
        if (!EpochRegex().IsMatch(text) || !long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return null;
        }

        // 10 digits are seconds (2001–2286), 13 are milliseconds.
        return text.Length == 13 ? DateTimeOffset.FromUnixTimeMilliseconds(number) : DateTimeOffset.FromUnixTimeSeconds(number);
    }

    private static DateTimeOffset? ParseCompact(string text)
    {
        var m = CompactRegex().Match(text);
        if (!m.Success)
        {
            return null;
        }

        var offset = m.Groups["z"].Success ? Offset(m.Groups["z"].Value) : TimeSpan.Zero;
        return offset is null
            ? null
            : Create(Int(m.Groups["y"].Value), Int(m.Groups["m"].Value), Int(m.Groups["d"].Value), Int(m.Groups["h"].Value), Int(m.Groups["min"].Value),
                Int(m.Groups["s"].Value), 0, offset.Value);
    }

    /// <summary>Dates with a month name, in any of the usual orders, with an optional time and zone.</summary>
    private static DateTimeOffset? ParseWords(string text)
    {
        // "Mon May 17 2024 10:00:00 GMT+0200 (Central European Summer Time)": the parenthesised name adds nothing.
        var cut = text.IndexOf('(');
        if (cut > 0)
        {
            text = text[..cut];
        }

        var m = MonthFirstRegex().Match(text);
        if (!m.Success)
        {
            m = DayFirstRegex().Match(text);
        }

        if (!m.Success || !s_months.TryGetValue(m.Groups["mon"].Value.TrimEnd('.'), out var month))
        {
            return null;
        }

        var year = Int(m.Groups["y"].Value);
        var day = Int(m.Groups["d"].Value);
        var rest = text[(m.Index + m.Length)..];
        var (hour, minute, second, offset) = TimeOfDay(m.Groups["t"].Success ? m.Groups["t"].Value : rest);
        return offset is null ? null : Create(year, month, day, hour, minute, second, 0, offset.Value);
    }

    /// <summary>
    /// "05/14/2024", "14.05.2024 10:22", "Tue, 05/14/2024 - 10:22": day and month in either order, read only when one
    /// of them is over 12; "05/06/2024" could be either, and stays unread.
    /// </summary>
    private static DateTimeOffset? ParseNumeric(string text)
    {
        var m = NumericRegex().Match(text);
        if (!m.Success)
        {
            return null;
        }

        var (first, second) = (Int(m.Groups["a"].Value), Int(m.Groups["b"].Value));
        int month, day;
        if (first > 12 && second <= 12)
        {
            (day, month) = (first, second);
        }
        else if (second > 12 && first <= 12)
        {
            (month, day) = (first, second);
        }
        else
        {
            return null;
        }

        var (hour, minute, second2, offset) = TimeOfDay(text[(m.Index + m.Length)..]);
        return offset is null ? null : Create(Int(m.Groups["y"].Value), month, day, hour, minute, second2, 0, offset.Value);
    }

    /// <summary>"10:00", "3:45 PM", "10:00:00 GMT+0200", "15.30 Uhr"… after a date; midnight UTC when none.</summary>
    private static (int Hour, int Minute, int Second, TimeSpan? Offset) TimeOfDay(string text)
    {
        var m = TimeRegex().Match(text);
        if (!m.Success)
        {
            var zoneOnly = ZoneOnlyRegex().Match(text);
            return (0, 0, 0, zoneOnly.Success ? Offset(zoneOnly.Groups["z"].Value) ?? TimeSpan.Zero : TimeSpan.Zero);
        }

        var hour = Int(m.Groups["h"].Value);
        var minute = Int(m.Groups["min"].Value);
        var second = m.Groups["s"].Success ? Int(m.Groups["s"].Value) : 0;
        if (m.Groups["ampm"].Success)
        {
            var pm = char.ToLowerInvariant(m.Groups["ampm"].Value[0]) == 'p';
            if (hour is < 1 or > 12)
            {
                return (0, 0, 0, null);
            }

            hour = hour % 12 + (pm ? 12 : 0);
        }

        var offset = m.Groups["z"].Success ? Offset(m.Groups["z"].Value) : TimeSpan.Zero;
        return (hour, minute, second, offset ?? TimeSpan.Zero);
    }

    /// <summary>Z, ±hh:mm, ±hhmm, ±hh, GMT+0200, UTC-5, or a known abbreviation.</summary>
    private static TimeSpan? Offset(string zone)
    {
        zone = zone.Trim();
        if (s_zoneMinutes.TryGetValue(zone, out var minutes))
        {
            return TimeSpan.FromMinutes(minutes);
        }

        var m = OffsetRegex().Match(zone);
        if (!m.Success)
        {
            return null;
        }

        var hours = Int(m.Groups["h"].Value);
        var mins = m.Groups["m"].Success ? Int(m.Groups["m"].Value) : 0;
        if (hours > 14 || mins > 59)
        {
            return null;
        }

        var total = TimeSpan.FromMinutes(hours * 60 + mins);
        return m.Groups["sign"].Value == "-" ? -total : total;
    }

    private static DateTimeOffset? Create(int year, int month, int day, int hour, int minute, int second, int ticks, TimeSpan offset)
    {
        if (year is < 1 or > 9999 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)
            || hour > 24 || minute > 59 || second > 60 || (hour == 24 && (minute > 0 || second > 0)))
        {
            return null;
        }

        try
        {
            // 24:00 is the end of the day; a leap second is read as the last second of its minute.
            var date = new DateTimeOffset(year, month, day, hour == 24 ? 0 : hour, minute, Math.Min(second, 59), offset).AddTicks(ticks);
            return hour == 24 ? date.AddDays(1) : date;
        }
        catch (ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    // The patterns say [0-9], not \d: \d matches every Unicode decimal digit ("٢٠٢٤"), which int.Parse refuses with
    // an exception, so a page could turn a date into a 500.
    private static int Int(string digits) =>
        digits.Length == 0 ? 0 : int.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);

    private static int Fraction(string digits)
    {
        // Ticks are 100 ns: seven digits.
        var seven = digits.Length >= 7 ? digits[..7] : digits.PadRight(7, '0');
        return Int(seven);
    }

    [GeneratedRegex(@"^(?<y>[0-9]{4})(?:[-/.](?<m>[0-9]{1,2})(?:[-/.](?<d>[0-9]{1,2})(?:(?:T|\s+|T\s*)(?<h>[0-9]{1,2}):(?<min>[0-9]{2})(?::(?<s>[0-9]{2})(?:[.,](?<f>[0-9]{1,9}))?)?\s*(?<z>Z|[+-][0-9]{2}(?::?[0-9]{2})?|(?:GMT|UTC)?\s*[+-][0-9]{1,2}(?::?[0-9]{2})?|[A-Za-z]{1,5})?)?)?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex IsoRegex();

    [GeneratedRegex(@"(?:^|[\s,])(?<a>[0-9]{1,2})[/.](?<b>[0-9]{1,2})[/.](?<y>(?:19|20)[0-9]{2})\b")]
    private static partial Regex NumericRegex();

    [GeneratedRegex(@"^[0-9]{10}$|^[0-9]{13}$")]
    private static partial Regex EpochRegex();

    [GeneratedRegex(@"^(?<y>(?:19|20)[0-9]{2})(?<m>[0-9]{2})(?<d>[0-9]{2})(?:T?(?<h>[0-9]{2})(?<min>[0-9]{2})(?<s>[0-9]{2})?(?<z>Z|[+-][0-9]{2}:?[0-9]{2})?)?$")]
    private static partial Regex CompactRegex();

    // "May 17, 2024", "Friday, May 17 2024", "Mon May 17 2024 10:00:00", "Sept. 3, 2024 at 3:45 PM"
    [GeneratedRegex(@"(?:^|[\s,])(?<mon>[A-Za-z]{3,9}\.?)\s+(?<d>[0-9]{1,2})(?:st|nd|rd|th)?,?\s+(?<y>[0-9]{4})(?:,?\s*(?:at\s+)?(?<t>[0-9]{1,2}[:.][0-9]{2}.*))?", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex MonthFirstRegex();

    // "17 May 2024", "Fri, 17 May 2024 10:00:00 GMT", "17. Mai 2024" is not English and stays unread.
    [GeneratedRegex(@"(?:^|[\s,])(?<d>[0-9]{1,2})(?:st|nd|rd|th)?\.?\s+(?<mon>[A-Za-z]{3,9}\.?),?\s+(?<y>[0-9]{4})(?:,?\s*(?:at\s+)?(?<t>[0-9]{1,2}[:.][0-9]{2}.*))?", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DayFirstRegex();

    [GeneratedRegex(@"(?<h>[0-9]{1,2})[:.](?<min>[0-9]{2})(?::(?<s>[0-9]{2}))?\s*(?<ampm>[AaPp]\.?[Mm]\.?)?\s*(?<z>(?:GMT|UTC)\s*[+-][0-9]{1,2}(?::?[0-9]{2})?|[+-][0-9]{2}:?[0-9]{2}|[A-Z]{1,5}\b)?")]
    private static partial Regex TimeRegex();

    [GeneratedRegex(@"^\s*(?<z>[A-Z]{2,5}|[+-][0-9]{2}:?[0-9]{2})\s*$")]
    private static partial Regex ZoneOnlyRegex();

    [GeneratedRegex(@"^(?:GMT|UTC)?\s*(?<sign>[+-])(?<h>[0-9]{1,2})(?::?(?<m>[0-9]{2}))?$", RegexOptions.IgnoreCase)]
    private static partial Regex OffsetRegex();

    [GeneratedRegex(@"/(?<y>(?:19|20)[0-9]{2})[/-](?<m>0?[1-9]|1[0-2])[/-](?<d>0?[1-9]|[12][0-9]|3[01])(?=/|$|[-_.])")]
    private static partial Regex UrlDateRegex();

    [GeneratedRegex(@"\b[0-9]{1,2}[/.][0-9]{1,2}[/.](?:19|20)[0-9]{2}(?:\s*-?\s*[0-9]{1,2}:[0-9]{2}(?:\s*[AaPp][Mm])?)?|[0-9]{4}-[0-9]{2}-[0-9]{2}(?:[T ][0-9]{2}:[0-9]{2}(?::[0-9]{2})?(?:\.[0-9]+)?(?:Z|[+-][0-9]{2}:?[0-9]{2})?)?|(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+[0-9]{1,2}(?:st|nd|rd|th)?,?\s+[0-9]{4}(?:,?\s*(?:at\s+)?[0-9]{1,2}[:.][0-9]{2}(?::[0-9]{2})?\s*(?:[AaPp]\.?[Mm]\.?)?\s*(?:[A-Z]{2,5}\b)?)?|[0-9]{1,2}(?:st|nd|rd|th)?\.?\s+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?,?\s+[0-9]{4}(?:,?\s*[0-9]{1,2}[:.][0-9]{2}(?::[0-9]{2})?\s*(?:[A-Z]{2,5}\b)?)?", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DateInTextRegex();
}
