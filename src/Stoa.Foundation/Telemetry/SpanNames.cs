using System.Collections.Concurrent;

namespace Stoa.Foundation.Telemetry;

/// <summary>
/// Span names put together from two parts (<c>publish</c> and a module, a module and <c>.transaction</c>), one string
/// per pair for the life of the process: a span the sampler drops (most of them at a low ratio) then costs no string.
/// The parts come from code (module names, operations), so the set is small; past a bound names are made each time.
/// </summary>
public static class SpanNames
{
    private const int MaxNames = 1_024;
    private static readonly ConcurrentDictionary<(string, string), string> s_names = new();

    public static string Of(string first, string second)
    {
        if (s_names.TryGetValue((first, second), out var name))
        {
            return name;
        }

        name = first + second;
        return s_names.Count < MaxNames ? s_names.GetOrAdd((first, second), name) : name;
    }
}
