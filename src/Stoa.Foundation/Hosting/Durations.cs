using System.Globalization;

namespace Stoa.Foundation.Hosting;

/// <summary>Parses the short durations an operator types on the command line: <c>90s</c>, <c>15m</c>, <c>1h</c>, <c>7d</c>.</summary>
public static class Durations
{
    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = default;
        if (string.IsNullOrWhiteSpace(text) || text.Length < 2)
        {
            return false;
        }

        if (!long.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var amount) || amount <= 0)
        {
            return false;
        }

        try
        {
            duration = text[^1] switch
            {
                's' => TimeSpan.FromSeconds(amount),
                'm' => TimeSpan.FromMinutes(amount),
                'h' => TimeSpan.FromHours(amount),
                'd' => TimeSpan.FromDays(amount),
                _ => TimeSpan.Zero,
            };
        }
        catch (OverflowException)
        {
            return false;
        }

        return duration > TimeSpan.Zero && duration <= TimeSpan.FromDays(3650);
    }
}
