using System.Reflection;
using NetArchTest.Rules;

namespace Stoa.Architecture.Tests;

/// <summary>
/// The layer rules of DESIGN.md as functions that list what breaks them (empty when the rule holds), so that each
/// rule can be shown to catch a deliberately bad sample (<see cref="RuleSelfTests"/>) as well as pass on the product.
/// </summary>
internal static class ArchitectureRules
{
    /// <summary>
    /// Types in <paramref name="layer"/> (a namespace and those below it) that use a type from any of
    /// <paramref name="forbidden"/> (namespaces or type names, matched as prefixes) anywhere: signatures, fields and
    /// method bodies, as read from the IL.
    /// </summary>
    public static IReadOnlyList<string> Uses(Assembly assembly, string layer, params string[] forbidden)
    {
        var result = Types.InAssembly(assembly)
            .That().ResideInNamespace(layer)
            .ShouldNot().HaveDependencyOnAny(forbidden)
            .GetResult();
        return result.IsSuccessful ? [] : [.. result.FailingTypeNames ?? []];
    }

    /// <summary>
    /// Types in <paramref name="implementations"/> that implement an interface declared in <paramref name="ports"/>:
    /// a port of the business layer implemented where HTTP types are at hand.
    /// </summary>
    public static IReadOnlyList<string> ImplementsPortOf(Assembly assembly, string implementations, string ports) =>
        [.. LoadableTypes(assembly)
            .Where(t => InNamespace(t, implementations))
            .SelectMany(t => t.GetInterfaces().Where(i => InNamespace(i, ports)).Select(i => $"{t.FullName} implements {i.FullName}"))];

    /// <summary>Assemblies <paramref name="assembly"/> references that <paramref name="allowed"/> does not accept.</summary>
    public static IReadOnlyList<string> References(Assembly assembly, Func<AssemblyName, bool> allowed) =>
        [.. assembly.GetReferencedAssemblies().Where(a => !allowed(a)).Select(a => a.Name ?? a.FullName)];

    /// <summary>The base class library: what every .NET program has without a package or a shared framework beyond NETCore.App.</summary>
    public static bool IsBaseClassLibrary(AssemblyName name) =>
        name.Name is "netstandard" or "mscorlib"
        || name.Name?.StartsWith("System.", StringComparison.Ordinal) == true
        || name.Name == "System"
        || name.Name?.StartsWith("Microsoft.Win32.", StringComparison.Ordinal) == true
        || name.Name == "Microsoft.CSharp"
        || name.Name == "Microsoft.VisualBasic.Core";

    /// <summary>
    /// Public types of <paramref name="assembly"/> (visible to other assemblies, nested ones included) beyond the
    /// <paramref name="allowed"/> ones.
    /// </summary>
    public static IReadOnlyList<string> PublicTypesBeyond(Assembly assembly, IEnumerable<Type> allowed)
    {
        var permitted = allowed.ToHashSet();
        return [.. assembly.GetExportedTypes()
            .Where(t => !permitted.Contains(t))
            .Select(t => t.FullName!)
            .Order(StringComparer.Ordinal)];
    }

    private static bool InNamespace(Type type, string ns) =>
        type.Namespace is { } own && (own == ns || own.StartsWith(ns + ".", StringComparison.Ordinal));

    private static IEnumerable<Type> LoadableTypes(Assembly assembly)
    {
        try
        {
            return assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException ex)
        {
            return ex.Types.OfType<Type>();
        }
    }
}
