using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

// quote-probe staleness --nodes URL1,URL2,URL3 --key API_KEY --token SERVER_TOKEN [--writes N] [--symbol SYM]
return args.FirstOrDefault() switch
{
    "staleness" => await Probe.StalenessAsync(Probe.Options(args)),
    _ => Probe.Usage(),
};

internal static partial class Probe
{
    public static int Usage()
    {
        Console.Error.WriteLine("""
            quote-probe staleness --nodes URL1,URL2,URL3 --key API_KEY --token SERVER_TOKEN [--writes N] [--symbol SYM]
                writes on the first node; the others are polled back to back; prints, over N writes, the time
                from the write's acknowledgement to each other node serving it: p50/p99/max.
            """);
        return 2;
    }

    public static Dictionary<string, string> Options(string[] args)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 1; i + 1 < args.Length; i += 2)
        {
            options[args[i].TrimStart('-')] = args[i + 1];
        }

        return options;
    }

    private static HttpClient Client(string key, int connections, string? token = null)
    {
        var client = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = connections,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            UseProxy = false,
        })
        {
            Timeout = TimeSpan.FromSeconds(10),
        };
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    public static async Task<int> StalenessAsync(Dictionary<string, string> o)
    {
        var nodes = o["nodes"].Split(',', StringSplitOptions.RemoveEmptyEntries);
        var writes = int.Parse(o.GetValueOrDefault("writes", "1000"), CultureInfo.InvariantCulture);
        var symbol = o.GetValueOrDefault("symbol", "STALE");
        using var writer = Client(o["key"], 4, o["token"]);
        var readers = nodes.Skip(1).Select(_ => Client(o["key"], 1)).ToArray();
        var delays = nodes.Skip(1).Select(_ => new List<double>(writes)).ToArray();
        var baseSeq = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1000;
        for (var i = 1; i <= writes; i++)
        {
            var seq = baseSeq + i;
            var price = (100 + (i % 1000) / 100.0).ToString("F2", CultureInfo.InvariantCulture);
            using var body = new StringContent($$"""{"price":{{price}},"seq":{{seq}}}""", Encoding.UTF8, "application/json");
            using var put = await writer.PutAsync($"{nodes[0]}/v1/quotes/{symbol}", body);
            put.EnsureSuccessStatusCode();
            var acknowledged = Stopwatch.GetTimestamp();
            await Task.WhenAll(readers.Select(async (reader, n) =>
            {
                while (true)
                {
                    var text = await reader.GetStringAsync($"{nodes[n + 1]}/v1/quotes/{symbol}");
                    if (SeqOf(text) >= seq)
                    {
                        delays[n].Add(Stopwatch.GetElapsedTime(acknowledged).TotalMilliseconds);
                        return;
                    }
                }
            }));
        }

        for (var n = 0; n < delays.Length; n++)
        {
            var sorted = delays[n].Order().ToArray();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"staleness {nodes[0]} -> {nodes[n + 1]} writes={writes} p50={P(sorted, 50):F3}ms p99={P(sorted, 99):F3}ms max={sorted[^1]:F3}ms"));
        }

        return 0;
    }

    private static double P(double[] sorted, double percentile) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(percentile / 100 * sorted.Length) - 1)];

    private static long SeqOf(string json) =>
        SeqPattern().Match(json) is { Success: true } m ? long.Parse(m.Groups[1].ValueSpan, CultureInfo.InvariantCulture) : 0;

    [GeneratedRegex("\"seq\":(\\d+)")]
    private static partial Regex SeqPattern();
}
