using System.Collections;
using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace Stoa.Foundation.Hosting;

/// <summary>
/// Every setting under <c>Stoa:</c>, read by reflection from the options classes bound to each section, so that a
/// configured key the code does not bind stops start-up instead of being ignored: with a typo in <c>Stoa__Store</c> a
/// node would otherwise start on the default SQLite file with development mode on. Each unknown key is named with the
/// nearest valid one. Durations (<see cref="TimeSpan"/> settings) are checked here too, because the binder reads a bare
/// number as days (<c>Stoa:Previews:Timeout=5</c> would be five days): they must be written <c>hh:mm:ss</c>.
/// </summary>
public sealed class SettingsSchema(IEnumerable<SettingsSection> sections)
{
    private const string Root = StoaOptions.Section;
    private readonly SettingsSection[] _sections = [.. sections.OrderByDescending(s => s.Path.Length)];

    /// <summary>Every leaf setting as a key pattern: <c>*</c> for a dictionary key (<c>Stoa:RateLimits:Policies:*:Capacity</c>).</summary>
    public IReadOnlyList<string> LeafKeys()
    {
        var keys = new List<string>();
        foreach (var section in _sections.OrderBy(s => s.Path, StringComparer.Ordinal))
        {
            AddLeaves(keys, section.Path, section.Options, depth: 0);
        }

        return keys;
    }

    /// <summary>One message per configured key under <c>Stoa:</c> that is not a setting, or a duration not written hh:mm:ss.</summary>
    public IReadOnlyList<string> Problems(IConfiguration configuration)
    {
        var problems = new List<string>();
        foreach (var (key, value) in configuration.GetSection(Root).AsEnumerable())
        {
            // Sections enumerate with a null value; only values can be misspelt settings.
            if (string.IsNullOrEmpty(value) || key.Equals(Root, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (!TryResolve(key, out var type, out var problem))
            {
                problems.Add(problem);
            }
            else if (!IsScalar(type))
            {
                // The binder ignores a value given to a list or a group of settings.
                problems.Add(ElementType(type) is null
                    ? $"{key}: not a setting but a group of them; the settings under it are {string.Join(", ", Children(key))}."
                    : $"{key}: a list, whose items are set one by one: {key}:0, {key}:1…");
            }
            else if ((Nullable.GetUnderlyingType(type) ?? type) == typeof(TimeSpan) && !IsDuration(value))
            {
                problems.Add($"{key}: '{value}' is not a duration; write hh:mm:ss (00:00:05 is five seconds, 1.00:00:00 one day).");
            }
        }

        return problems;
    }

    /// <summary>Whether <paramref name="key"/> (<c>Stoa:Previews:AllowedPorts:0</c>) is a leaf setting, and its type.</summary>
    public bool IsLeaf(string key, out string reason)
    {
        if (!TryResolve(key, out var type, out reason))
        {
            return false;
        }

        reason = IsScalar(type) || (ElementType(type) is { } e && IsScalar(e)) ? "" : $"'{key}' names a section, not a value";
        return reason.Length == 0;
    }

    /// <summary>
    /// Durations are a .NET TimeSpan written with its colons, <c>[d.]hh:mm:ss[.fff]</c>. A bare number would be read
    /// as days, and "5s" not at all: both are refused, naming the setting.
    /// </summary>
    public static bool IsDuration(string value) =>
        value.Contains(':', StringComparison.Ordinal) && TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out _);

    private bool TryResolve(string key, out Type type, out string problem)
    {
        type = typeof(object);
        var section = _sections.FirstOrDefault(s => key.StartsWith(s.Path + ":", StringComparison.OrdinalIgnoreCase));
        if (section is null)
        {
            problem = Unknown(key, key.Split(':').Length - 1);
            return false;
        }

        var segments = key.Split(':');
        type = section.Options;
        for (var i = section.Path.Split(':').Length; i < segments.Length; i++)
        {
            var segment = segments[i];
            if (IsScalar(type))
            {
                problem = $"{key}: not a setting; {string.Join(':', segments[..i])} is a value, not a section.";
                return false;
            }

            if (DictionaryValueType(type) is { } valueType)
            {
                type = valueType;
                continue;
            }

            if (ElementType(type) is { } elementType)
            {
                if (!int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out _))
                {
                    problem = $"{key}: not a setting; {string.Join(':', segments[..i])} is a list, whose items are numbered :0, :1…";
                    return false;
                }

                type = elementType;
                continue;
            }

            var property = Settable(type).FirstOrDefault(p => p.Name.Equals(segment, StringComparison.OrdinalIgnoreCase));
            if (property is null)
            {
                problem = Unknown(key, i);
                return false;
            }

            type = property.PropertyType;
        }

        problem = "";
        return true;
    }

    /// <summary>"not a setting", with the valid name nearest to the unknown segment when one is near enough to be meant.</summary>
    private string Unknown(string key, int index)
    {
        var segments = key.Split(':');
        var parent = string.Join(':', segments[..index]);
        var candidates = Children(parent).ToList();
        var nearest = candidates
            .Select(name => (Name: name, Distance: EditDistance(name.ToUpperInvariant(), segments[index].ToUpperInvariant())))
            .OrderBy(c => c.Distance)
            .FirstOrDefault();
        var suggestion = nearest.Name is not null && nearest.Distance <= Math.Max(2, segments[index].Length / 3)
            ? $"did you mean {parent}:{nearest.Name}?"
            : candidates.Count > 0 ? $"the settings under {parent} are {string.Join(", ", candidates)}." : $"nothing is configured under {parent}.";
        return $"{key}: not a setting; {suggestion} (docs/operations.md lists every setting)";
    }

    /// <summary>The names valid right below <paramref name="parent"/>: properties of its options class and nested sections.</summary>
    private IEnumerable<string> Children(string parent)
    {
        var section = _sections.FirstOrDefault(s => parent.Equals(s.Path, StringComparison.OrdinalIgnoreCase)
            || parent.StartsWith(s.Path + ":", StringComparison.OrdinalIgnoreCase));
        var type = section is null ? null : TypeAt(section, parent);
        var nestedSections = _sections
            .Where(s => s.Path.StartsWith(parent + ":", StringComparison.OrdinalIgnoreCase) && s.Path.Split(':').Length == parent.Split(':').Length + 1)
            .Select(s => s.Path.Split(':')[^1]);
        return (type is null ? [] : Settable(type).Select(p => p.Name)).Concat(nestedSections).Distinct(StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The options class at <paramref name="path"/> within <paramref name="section"/> (dictionary keys stepped over).</summary>
    private static Type? TypeAt(SettingsSection section, string path)
    {
        var type = section.Options;
        foreach (var segment in path.Split(':').Skip(section.Path.Split(':').Length))
        {
            var property = Settable(type).FirstOrDefault(p => p.Name.Equals(segment, StringComparison.OrdinalIgnoreCase));
            type = DictionaryValueType(type) ?? property?.PropertyType;
            if (type is null)
            {
                return null;
            }
        }

        return IsScalar(type) || ElementType(type) is not null ? null : type;
    }

    /// <summary>Levenshtein distance: small names, computed only for the few candidates of an unknown key.</summary>
    private static int EditDistance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            previous = current;
        }

        return previous[b.Length];
    }

    private static void AddLeaves(List<string> keys, string prefix, Type type, int depth)
    {
        if (depth > 6)
        {
            throw new InvalidOperationException($"{prefix}: options nested too deep");
        }

        foreach (var property in Settable(type))
        {
            var key = $"{prefix}:{property.Name}";
            var propertyType = property.PropertyType;
            if (IsScalar(propertyType) || ElementType(propertyType) is { } e && IsScalar(e))
            {
                keys.Add(key);
            }
            else if (DictionaryValueType(propertyType) is { } valueType)
            {
                if (IsScalar(valueType))
                {
                    keys.Add(key + ":*");
                }
                else
                {
                    AddLeaves(keys, key + ":*", valueType, depth + 1);
                }
            }
            else
            {
                AddLeaves(keys, key, propertyType, depth + 1);
            }
        }
    }

    private static IEnumerable<PropertyInfo> Settable(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.SetMethod is { IsPublic: true } && p.GetIndexParameters().Length == 0);

    private static bool IsScalar(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(TimeSpan)
            || type == typeof(DateTimeOffset) || type == typeof(Uri);
    }

    private static Type? DictionaryValueType(Type type) =>
        type.IsGenericType && type.GetInterfaces().Append(type).FirstOrDefault(i => i.IsGenericType
            && i.GetGenericTypeDefinition() == typeof(IDictionary<,>)) is { } dictionary
            ? dictionary.GetGenericArguments()[1]
            : null;

    private static Type? ElementType(Type type)
    {
        if (type.IsArray)
        {
            return type.GetElementType();
        }

        return type != typeof(string) && DictionaryValueType(type) is null && typeof(IEnumerable).IsAssignableFrom(type) && type.IsGenericType
            ? type.GetGenericArguments()[0]
            : null;
    }
}
