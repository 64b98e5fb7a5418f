using System.Globalization;

namespace Stoa.Foundation.Telemetry;

/// <summary>A series' identity: its labels, sanitised and sorted by name, compared by value.</summary>
internal sealed class LabelSet : IEquatable<LabelSet>
{
    public static readonly LabelSet Empty = new([]);

    /// <summary>Where measurements go once their metric has no room for another series (OpenTelemetry's overflow attribute).</summary>
    public static readonly LabelSet Overflow = new([new("otel_metric_overflow", "true")]);

    private static readonly Comparer<(string Name, string Key, string Value)> s_byNameThenKey = Comparer<(string Name, string Key, string Value)>.Create(static (a, b) =>
    {
        var byName = string.CompareOrdinal(a.Name, b.Name);
        return byName != 0 ? byName : string.CompareOrdinal(a.Key, b.Key);
    });

    private readonly KeyValuePair<string, string>[] _labels;
    private readonly int _hashCode;

    private LabelSet(KeyValuePair<string, string>[] labels)
    {
        _labels = labels;
        var hash = new HashCode();
        foreach (var (name, value) in labels)
        {
            hash.Add(name, StringComparer.Ordinal);
            hash.Add(value, StringComparer.Ordinal);
        }

        _hashCode = hash.ToHashCode();
    }

    public IReadOnlyList<KeyValuePair<string, string>> Labels => _labels;

    /// <summary>
    /// Tags with a null value are left out. Keys that sanitise to the same label name (<c>a.b</c>, <c>a_b</c>) are merged
    /// into one label whose values are joined with <c>;</c> in the order of the original keys, as the OpenTelemetry
    /// Prometheus spec asks.
    /// </summary>
    public static LabelSet From(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.IsEmpty)
        {
            return Empty;
        }

        var items = new (string Name, string Key, string Value)[tags.Length];
        var count = 0;
        foreach (var (key, value) in tags)
        {
            if (FormatValue(value) is { } text)
            {
                items[count++] = (PrometheusNames.LabelName(key), key, text);
            }
        }

        if (count == 0)
        {
            return Empty;
        }

        Array.Sort(items, 0, count, s_byNameThenKey);

        // Merge the labels whose names collide, in place: items[..distinct] ends up holding one entry per name.
        var distinct = 1;
        for (var i = 1; i < count; i++)
        {
            if (items[i].Name == items[distinct - 1].Name)
            {
                items[distinct - 1].Value += ";" + items[i].Value;
            }
            else
            {
                items[distinct++] = items[i];
            }
        }

        var labels = new KeyValuePair<string, string>[distinct];
        for (var i = 0; i < distinct; i++)
        {
            labels[i] = new(items[i].Name, items[i].Value);
        }

        return new LabelSet(labels);
    }

    public static string? FormatValue(object? value) => value switch
    {
        null => null,
        string text => text,
        bool flag => flag ? "true" : "false",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    public static int Compare(LabelSet x, LabelSet y)
    {
        for (var i = 0; i < Math.Min(x._labels.Length, y._labels.Length); i++)
        {
            var byName = string.CompareOrdinal(x._labels[i].Key, y._labels[i].Key);
            if (byName != 0)
            {
                return byName;
            }

            var byValue = string.CompareOrdinal(x._labels[i].Value, y._labels[i].Value);
            if (byValue != 0)
            {
                return byValue;
            }
        }

        return x._labels.Length.CompareTo(y._labels.Length);
    }

    public bool Equals(LabelSet? other)
    {
        if (ReferenceEquals(this, other))
        {
            return true;
        }

        if (other is null || other._hashCode != _hashCode || other._labels.Length != _labels.Length)
        {
            return false;
        }

        for (var i = 0; i < _labels.Length; i++)
        {
            if (!string.Equals(_labels[i].Key, other._labels[i].Key, StringComparison.Ordinal)
                || !string.Equals(_labels[i].Value, other._labels[i].Value, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    public override bool Equals(object? obj) => Equals(obj as LabelSet);

    public override int GetHashCode() => _hashCode;
}
