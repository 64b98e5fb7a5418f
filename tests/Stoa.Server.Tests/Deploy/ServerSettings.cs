using System.Collections;
using System.Reflection;
using Stoa.Comments;
using Stoa.Docs;
using Stoa.Foundation.Hosting;
using Stoa.Foundation.RateLimiting;
using Stoa.Previews;
using Stoa.Quotes;

namespace Stoa.Server.Tests.Deploy;

/// <summary>
/// The server's real settings, read by reflection from the options classes the host and the modules bind, so that
/// manifests and docs are checked against the code rather than against a list kept by hand.
/// </summary>
internal static class ServerSettings
{
    /// <summary>Every configuration section the code binds, with the class bound to it.</summary>
    public static IReadOnlyDictionary<string, Type> Sections { get; } = new Dictionary<string, Type>(StringComparer.OrdinalIgnoreCase)
    {
        [StoaOptions.Section] = typeof(StoaOptions),
        [RateLimitOptions.Section] = typeof(RateLimitOptions),
        // The modules' options are internal: each module shows its internals to its own tests only.
        [PreviewsModule.Section] = Internal(typeof(PreviewsModule), "Stoa.Previews.Core.PreviewOptions"),
        ["Stoa:Comments"] = Internal(typeof(CommentsModule), "Stoa.Comments.Core.CommentsOptions"),
        ["Stoa:Docs"] = Internal(typeof(DocsModule), "Stoa.Docs.Core.DocOptions"),
        ["Stoa:Quotes"] = Internal(typeof(QuotesModule), "Stoa.Quotes.QuotesOptions"),
    };

    private static Type Internal(Type module, string name) => module.Assembly.GetType(name, throwOnError: true)!;

    /// <summary>Sections declared in code (a <c>const string Section</c> starting with "Stoa") by the server's assemblies.</summary>
    public static IEnumerable<string> DeclaredSections() =>
        typeof(Program).Assembly.GetReferencedAssemblies()
            .Where(a => a.Name!.StartsWith("Stoa.", StringComparison.Ordinal))
            .Select(Assembly.Load)
            .SelectMany(a => a.GetTypes())
            .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static))
            .Where(f => f is { IsLiteral: true, Name: "Section" } && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!)
            .Where(s => s.StartsWith("Stoa", StringComparison.Ordinal))
            .Distinct(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Every leaf setting as a configuration key (<c>Stoa:RateLimits:Policies:*:Capacity</c>): public settable
    /// properties, walked into nested option classes; <c>*</c> stands for a dictionary key.
    /// </summary>
    public static IReadOnlyList<string> LeafKeys()
    {
        var keys = new List<string>();
        foreach (var (section, type) in Sections)
        {
            AddLeaves(keys, section, type, depth: 0);
        }

        return keys;
    }

    /// <summary>Whether a configuration key (<c>Stoa:Previews:AllowedPorts:0</c>) names a leaf setting the code binds.</summary>
    public static bool IsLeaf(string key, out string reason)
    {
        var section = Sections.Keys
            .Where(s => key.StartsWith(s + ":", StringComparison.OrdinalIgnoreCase))
            .OrderByDescending(s => s.Length)
            .FirstOrDefault();
        if (section is null)
        {
            reason = $"'{key}' is in no section the server binds ({string.Join(", ", Sections.Keys)})";
            return false;
        }

        Type current = Sections[section];
        foreach (var segment in key[(section.Length + 1)..].Split(':'))
        {
            if (IsScalar(current))
            {
                reason = $"'{key}': '{segment}' goes below a value";
                return false;
            }

            if (DictionaryValueType(current) is { } valueType)
            {
                current = valueType;
                continue;
            }

            if (ElementType(current) is { } elementType)
            {
                if (!int.TryParse(segment, out _))
                {
                    reason = $"'{key}': '{segment}' is not a list index";
                    return false;
                }

                current = elementType;
                continue;
            }

            var property = Settable(current).FirstOrDefault(p => string.Equals(p.Name, segment, StringComparison.OrdinalIgnoreCase));
            if (property is null)
            {
                reason = $"'{key}': {current.Name} has no settable property '{segment}'";
                return false;
            }

            current = property.PropertyType;
        }

        reason = IsScalar(current) || (ElementType(current) is { } e && IsScalar(e)) ? "" : $"'{key}' names a section, not a value";
        return reason.Length == 0;
    }

    /// <summary>An environment variable name (<c>Stoa__Previews__Timeout</c>) as a configuration key.</summary>
    public static string KeyOf(string environmentName) => environmentName.Replace("__", ":", StringComparison.Ordinal);

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
