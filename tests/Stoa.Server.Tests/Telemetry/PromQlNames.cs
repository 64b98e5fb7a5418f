using System.Text.RegularExpressions;

namespace Stoa.Server.Tests.Telemetry;

/// <summary>
/// The metric names a PromQL expression reads, found the way a reader would: strings, label matchers, ranges, Grafana
/// variables and the label lists of <c>by</c>, <c>without</c>, <c>on</c>, <c>ignoring</c> and <c>group_*</c> removed,
/// then every identifier that is neither a keyword nor called as a function.
/// </summary>
public static partial class PromQlNames
{
    private static readonly HashSet<string> s_keywords = new(StringComparer.Ordinal)
    {
        "and", "or", "unless", "by", "without", "on", "ignoring", "group_left", "group_right", "bool", "offset", "atan2", "inf", "nan",
    };

    public static IReadOnlySet<string> Of(string expression)
    {
        var text = Strings().Replace(expression, " ");
        text = Variables().Replace(text, " ");
        text = Matchers().Replace(text, " ");
        text = Ranges().Replace(text, " ");
        text = LabelLists().Replace(text, " ");
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (Match match in Identifiers().Matches(text))
        {
            var name = match.Groups["name"].Value;
            if (!match.Groups["call"].Success && !s_keywords.Contains(name.ToLowerInvariant()))
            {
                names.Add(name);
            }
        }

        return names;
    }

    [GeneratedRegex(@"""(?:[^""\\]|\\.)*""|'(?:[^'\\]|\\.)*'|`[^`]*`")]
    private static partial Regex Strings();

    [GeneratedRegex(@"\$\{?[A-Za-z_][A-Za-z0-9_]*\}?")]
    private static partial Regex Variables();

    [GeneratedRegex(@"\{[^{}]*\}")]
    private static partial Regex Matchers();

    [GeneratedRegex(@"\[[^\]]*\]")]
    private static partial Regex Ranges();

    [GeneratedRegex(@"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^()]*\)", RegexOptions.IgnoreCase)]
    private static partial Regex LabelLists();

    [GeneratedRegex(@"(?<![A-Za-z0-9_:.])(?<name>[A-Za-z_:][A-Za-z0-9_:]*)(?<call>\s*\()?")]
    private static partial Regex Identifiers();
}
