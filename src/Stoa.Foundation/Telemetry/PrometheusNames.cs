using System.Collections.Concurrent;
using System.Text;

namespace Stoa.Foundation.Telemetry;

/// <summary>
/// OpenTelemetry names to Prometheus names, following the OpenTelemetry compatibility spec for Prometheus:
/// invalid characters become <c>_</c>, the UCUM unit becomes a suffix (<c>s</c> → <c>_seconds</c>, <c>By</c> →
/// <c>_bytes</c>, <c>{request}</c> → nothing), counters end in <c>_total</c>.
/// </summary>
internal static class PrometheusNames
{
    private const int MaxCachedLabelNames = 4096;

    private static readonly ConcurrentDictionary<string, string> s_labelNames = new(StringComparer.Ordinal);

    private static readonly Dictionary<string, string> s_units = new(StringComparer.Ordinal)
    {
        ["d"] = "days",
        ["h"] = "hours",
        ["min"] = "minutes",
        ["s"] = "seconds",
        ["ms"] = "milliseconds",
        ["us"] = "microseconds",
        ["ns"] = "nanoseconds",
        ["By"] = "bytes",
        ["KiBy"] = "kibibytes",
        ["MiBy"] = "mebibytes",
        ["GiBy"] = "gibibytes",
        ["TiBy"] = "tebibytes",
        ["KBy"] = "kilobytes",
        ["MBy"] = "megabytes",
        ["GBy"] = "gigabytes",
        ["TBy"] = "terabytes",
        ["m"] = "meters",
        ["V"] = "volts",
        ["A"] = "amperes",
        ["J"] = "joules",
        ["W"] = "watts",
        ["g"] = "grams",
        ["Cel"] = "celsius",
        ["Hz"] = "hertz",
        ["%"] = "percent",
    };

    private static readonly Dictionary<string, string> s_perUnits = new(StringComparer.Ordinal)
    {
        ["s"] = "second",
        ["m"] = "minute",
        ["min"] = "minute",
        ["h"] = "hour",
        ["d"] = "day",
        ["w"] = "week",
        ["mo"] = "month",
        ["y"] = "year",
    };

    /// <summary>The family name: <c>http.server.request.duration</c> in <c>s</c> → <c>http_server_request_duration_seconds</c>.</summary>
    public static string MetricName(string instrumentName, string? unit, PrometheusMetricType type)
    {
        var name = Sanitize(instrumentName, allowColon: true);
        if (type == PrometheusMetricType.Counter && name.EndsWith("_total", StringComparison.Ordinal) && name.Length > "_total".Length)
        {
            name = name[..^"_total".Length];
        }

        var suffix = UnitSuffix(unit, type);
        if (suffix.Length > 0 && !name.EndsWith("_" + suffix, StringComparison.Ordinal))
        {
            name = name + "_" + suffix;
        }

        return type == PrometheusMetricType.Counter ? name + "_total" : name;
    }

    /// <summary>A label name: <c>http.route</c> → <c>http_route</c>; a leading digit gets a <c>key_</c> prefix. Runs of <c>_</c> collapse, so no name is reserved (<c>__</c>).</summary>
    public static string LabelName(string key)
    {
        if (s_labelNames.TryGetValue(key, out var cached))
        {
            return cached;
        }

        var name = Sanitize(key, allowColon: false);
        if (key.Length > 0 && char.IsAsciiDigit(key[0]))
        {
            // Sanitize already put a '_' before the digit.
            name = "key" + name;
        }

        // Tag keys come from code, so the set is small; the cap only guards against a key built from data.
        if (s_labelNames.Count < MaxCachedLabelNames)
        {
            s_labelNames.TryAdd(key, name);
        }

        return name;
    }

    /// <summary>The unit suffix, without its underscore; empty for none, for annotations (<c>{request}</c>) and for <c>1</c> except on gauges (<c>ratio</c>).</summary>
    public static string UnitSuffix(string? unit, PrometheusMetricType type)
    {
        if (string.IsNullOrWhiteSpace(unit))
        {
            return "";
        }

        var bare = StripAnnotations(unit).Trim();
        if (bare.Length == 0)
        {
            return "";
        }

        if (bare == "1")
        {
            return type == PrometheusMetricType.Gauge ? "ratio" : "";
        }

        var slash = bare.IndexOf('/', StringComparison.Ordinal);
        if (slash > 0 && slash < bare.Length - 1)
        {
            var per = bare[(slash + 1)..];
            return Unit(bare[..slash]) + "_per_" + (s_perUnits.TryGetValue(per, out var p) ? p : Sanitize(per, allowColon: false));
        }

        return Unit(bare);
    }

    private static string Unit(string unit) =>
        s_units.TryGetValue(unit, out var name) ? name : Sanitize(unit, allowColon: false).Trim('_');

    private static string StripAnnotations(string unit)
    {
        var builder = new StringBuilder(unit.Length);
        var depth = 0;
        foreach (var c in unit)
        {
            if (c == '{')
            {
                depth++;
            }
            else if (c == '}' && depth > 0)
            {
                depth--;
            }
            else if (depth == 0)
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    /// <summary>Keeps <c>[a-zA-Z0-9_]</c> (and <c>:</c> in metric names), turns runs of anything else into one <c>_</c>, never starts with a digit.</summary>
    private static string Sanitize(string name, bool allowColon)
    {
        if (string.IsNullOrEmpty(name))
        {
            return "_";
        }

        var builder = new StringBuilder(name.Length + 1);
        if (char.IsAsciiDigit(name[0]))
        {
            builder.Append('_');
        }

        foreach (var c in name)
        {
            var valid = char.IsAsciiLetter(c) || char.IsAsciiDigit(c) || (allowColon && c == ':');
            if (valid)
            {
                builder.Append(c);
            }
            else if (builder.Length == 0 || builder[^1] != '_')
            {
                builder.Append('_');
            }
        }

        return builder.ToString();
    }
}
