using System.Globalization;

namespace Stoa.Foundation.Telemetry;

/// <summary>
/// The Prometheus text exposition format 0.0.4: <c># HELP</c> and <c># TYPE</c> per family, one line per sample,
/// cumulative <c>le</c> buckets ending in <c>+Inf</c>, then <c>_sum</c> and <c>_count</c>.
/// </summary>
internal static class PrometheusTextWriter
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static void Write(TextWriter writer, IEnumerable<MetricFamilySnapshot> families)
    {
        foreach (var family in families)
        {
            WriteFamily(writer, family);
        }
    }

    public static void WriteFamily(TextWriter writer, MetricFamilySnapshot family)
    {
        writer.Write("# HELP ");
        writer.Write(family.Name);
        writer.Write(' ');
        WriteEscaped(writer, family.Help, escapeQuotes: false);
        writer.Write('\n');
        writer.Write("# TYPE ");
        writer.Write(family.Name);
        writer.Write(' ');
        writer.Write(family.Type switch
        {
            PrometheusMetricType.Counter => "counter",
            PrometheusMetricType.Gauge => "gauge",
            _ => "histogram",
        });
        writer.Write('\n');

        foreach (var point in family.Points)
        {
            if (family.Type == PrometheusMetricType.Histogram && point.Histogram is { } histogram)
            {
                WriteHistogram(writer, family.Name, point.Labels, histogram);
            }
            else
            {
                WriteSample(writer, family.Name, "", point.Labels, null, point.Value);
            }
        }
    }

    /// <summary>A sample value: shortest round-trip invariant form, or <c>+Inf</c>, <c>-Inf</c>, <c>NaN</c>.</summary>
    public static string FormatValue(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        _ when double.IsNaN(value) => "NaN",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    /// <summary>Label values escape <c>\</c>, <c>"</c> and newlines; help text escapes <c>\</c> and newlines only.</summary>
    public static void WriteEscaped(TextWriter writer, string text, bool escapeQuotes)
    {
        foreach (var c in text)
        {
            switch (c)
            {
                case '\\':
                    writer.Write("\\\\");
                    break;
                case '\n':
                    writer.Write("\\n");
                    break;
                case '"' when escapeQuotes:
                    writer.Write("\\\"");
                    break;
                default:
                    writer.Write(c);
                    break;
            }
        }
    }

    private static void WriteHistogram(TextWriter writer, string name, IReadOnlyList<KeyValuePair<string, string>> labels, HistogramSnapshot histogram)
    {
        long cumulative = 0;
        for (var i = 0; i < histogram.Bounds.Count; i++)
        {
            cumulative += histogram.BucketCounts[i];
            WriteSample(writer, name, "_bucket", labels, FormatValue(histogram.Bounds[i]), cumulative);
        }

        cumulative += histogram.BucketCounts[histogram.Bounds.Count];
        WriteSample(writer, name, "_bucket", labels, "+Inf", cumulative);
        WriteSample(writer, name, "_sum", labels, null, histogram.Sum);
        WriteSample(writer, name, "_count", labels, null, histogram.Count);
    }

    private static void WriteSample(TextWriter writer, string name, string suffix, IReadOnlyList<KeyValuePair<string, string>> labels, string? le, double value)
    {
        writer.Write(name);
        writer.Write(suffix);
        if (labels.Count > 0 || le is not null)
        {
            writer.Write('{');
            var first = true;
            foreach (var (label, labelValue) in labels)
            {
                WriteLabel(writer, label, labelValue, ref first);
            }

            if (le is not null)
            {
                WriteLabel(writer, "le", le, ref first);
            }

            writer.Write('}');
        }

        writer.Write(' ');
        writer.Write(FormatValue(value));
        writer.Write('\n');
    }

    private static void WriteLabel(TextWriter writer, string name, string value, ref bool first)
    {
        if (!first)
        {
            writer.Write(',');
        }

        first = false;
        writer.Write(name);
        writer.Write("=\"");
        WriteEscaped(writer, value, escapeQuotes: true);
        writer.Write('"');
    }
}
