using System.Text;
using Xunit.Sdk;

namespace Stoa.Ot.Tests;

/// <summary>
/// Runs a property on many random cases with a fixed seed. Case i uses <c>new Random(seed + i)</c>; on failure the
/// message names the seed, the case and every input the property recorded, so one case can be replayed alone.
/// Set STOA_OT_SEED to explore other seeds.
/// </summary>
internal static class Property
{
    public static void Check(int seed, int cases, Action<Random, Trace> property)
    {
        string? overrideSeed = Environment.GetEnvironmentVariable("STOA_OT_SEED");
        if (int.TryParse(overrideSeed, out int chosen))
        {
            seed = chosen;
        }

        for (int i = 0; i < cases; i++)
        {
            int caseSeed = unchecked(seed + i);
            var trace = new Trace();
            try
            {
                property(new Random(caseSeed), trace);
            }
            catch (Exception e)
            {
                throw new XunitException(
                    $"Property failed: seed {seed}, case {i} (replay with new Random({caseSeed})).\n{trace}\n{e.GetType().Name}: {e.Message}", e);
            }
        }
    }

    /// <summary>Inputs of one case, printed on failure.</summary>
    public sealed class Trace
    {
        private readonly StringBuilder _text = new();

        public void Add(string name, string document) => _text.Append("  ").Append(name).Append(" = ").Append(TextOpJsonQuote(document)).Append('\n');

        public void Add(string name, TextOp op) => _text.Append("  ").Append(name).Append(" = ").Append(op.ToJson()).Append('\n');

        public void Add(string name, int value) => _text.Append("  ").Append(name).Append(" = ").Append(value).Append('\n');

        public override string ToString() => _text.ToString();

        private static string TextOpJsonQuote(string text) => System.Text.Json.JsonSerializer.Serialize(text);
    }
}
