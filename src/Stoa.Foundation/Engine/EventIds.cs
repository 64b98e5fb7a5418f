using System.Globalization;

namespace Stoa.Foundation.Engine;

/// <summary>
/// The ids of <see cref="IEventLogs"/> entries: "milliseconds-sequence", as Redis streams make them (the in-process
/// engine makes the same), ordered by both numbers. Clients see them as opaque strings.
/// </summary>
public static class EventIds
{
    public static bool IsWellFormed(string? id) => TryParse(id, out _);

    /// <summary>Negative, zero or positive as <paramref name="a"/> is before, equal to or after <paramref name="b"/>; malformed ids sort first.</summary>
    public static int Compare(string? a, string? b)
    {
        var parsedA = TryParse(a, out var x);
        var parsedB = TryParse(b, out var y);
        return (parsedA, parsedB) switch
        {
            (false, false) => 0,
            (false, true) => -1,
            (true, false) => 1,
            _ => x.CompareTo(y),
        };
    }

    private static bool TryParse(string? id, out (ulong Ms, ulong Seq) value)
    {
        value = default;
        var dash = id?.IndexOf('-', StringComparison.Ordinal) ?? -1;
        return dash > 0
            && ulong.TryParse(id.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out value.Ms)
            && ulong.TryParse(id.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out value.Seq);
    }
}
