using System.Globalization;

namespace Stoa.Comments.Bench;

/// <summary>Reads a counter from the nodes' <c>/metrics</c> (Prometheus text), summed over every series and node.</summary>
internal static class Metrics
{
    private static readonly HttpClient s_http = new() { Timeout = TimeSpan.FromSeconds(10) };

    public static async Task<double> SumAsync(IReadOnlyList<Uri> nodes, string name)
    {
        var sum = 0.0;
        foreach (var node in nodes)
        {
            var text = await s_http.GetStringAsync(new Uri(node, "/metrics"));
            foreach (var line in text.Split('\n'))
            {
                if (line.StartsWith(name, StringComparison.Ordinal) && (line.Length == name.Length || line[name.Length] is ' ' or '{'))
                {
                    sum += double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
                }
            }
        }

        return sum;
    }
}
