using System.Globalization;
using System.Text;

namespace Stoa.Server.Tests.Telemetry;

/// <summary>One sample line of a scrape, parsed strictly: a malformed line fails the test that reads it.</summary>
public sealed record PrometheusSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value)
{
    public string? this[string label] => Labels.TryGetValue(label, out var value) ? value : null;

    /// <summary>Parses the text format 0.0.4; also checks that each family has one <c># TYPE</c>, before its samples.</summary>
    public static IReadOnlyList<PrometheusSample> ParseAll(string text)
    {
        var samples = new List<PrometheusSample>();
        var typed = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0)
            {
                continue;
            }

            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                var parts = line.Split(' ');
                parts.Length.ShouldBe(4, line);
                typed.TryAdd(parts[2], parts[3]).ShouldBeTrue($"second # TYPE for {parts[2]}");
                continue;
            }

            if (line.StartsWith('#'))
            {
                line.ShouldStartWith("# HELP ");
                continue;
            }

            var sample = ParseLine(line);
            var family = typed.Keys.Where(f => sample.Name == f || sample.Name.StartsWith(f + "_", StringComparison.Ordinal))
                .OrderByDescending(f => f.Length).FirstOrDefault();
            family.ShouldNotBeNull($"sample before its # TYPE: {line}");
            samples.Add(sample);
        }

        return samples;
    }

    private static PrometheusSample ParseLine(string line)
    {
        var i = 0;
        while (i < line.Length && (char.IsAsciiLetterOrDigit(line[i]) || line[i] is '_' or ':'))
        {
            i++;
        }

        var name = line[..i];
        name.ShouldNotBeEmpty(line);
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (line[i] == '{')
        {
            i++;
            while (line[i] != '}')
            {
                var eq = line.IndexOf('=', i);
                var label = line[i..eq];
                line[eq + 1].ShouldBe('"', line);
                var value = new StringBuilder();
                i = eq + 2;
                while (line[i] != '"')
                {
                    if (line[i] == '\\')
                    {
                        i++;
                        value.Append(line[i] switch
                        {
                            'n' => '\n',
                            '\\' => '\\',
                            '"' => '"',
                            _ => throw new ShouldAssertException($"bad escape in {line}"),
                        });
                    }
                    else
                    {
                        value.Append(line[i]);
                    }

                    i++;
                }

                labels.Add(label, value.ToString());
                i++;
                if (line[i] == ',')
                {
                    i++;
                }
            }

            i++;
        }

        line[i].ShouldBe(' ', line);
        var text = line[(i + 1)..];
        var number = text switch
        {
            "+Inf" => double.PositiveInfinity,
            "-Inf" => double.NegativeInfinity,
            "NaN" => double.NaN,
            _ => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
        };
        return new PrometheusSample(name, labels, number);
    }
}
