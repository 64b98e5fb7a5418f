using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;

// quote-probe latency   --url URL --key API_KEY --rate N --seconds S [--connections C]
// quote-probe staleness --nodes URL1,URL2,URL3 --key API_KEY --token SERVER_TOKEN [--writes N] [--symbol SYM]
return args.FirstOrDefault() switch
{
    "latency" => await Probe.LatencyAsync(Probe.Options(args)),
    "staleness" => await Probe.StalenessAsync(Probe.Options(args)),
    _ => Probe.Usage(),
};

internal static partial class Probe
{
    public static int Usage()
    {
        Console.Error.WriteLine("""
            quote-probe latency   --url URL --key API_KEY --rate N --seconds S [--connections C]
                open-loop load at a fixed rate; latency counted from each request's scheduled start
                (no coordinated omission); prints p50/p90/p99/p99.9/max.
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

    public static async Task<int> LatencyAsync(Dictionary<string, string> o)
    {
        var url = o["url"];
        var rate = double.Parse(o["rate"], CultureInfo.InvariantCulture);
        var seconds = double.Parse(o.GetValueOrDefault("seconds", "10"), CultureInfo.InvariantCulture);
        var connections = int.Parse(o.GetValueOrDefault("connections", "32"), CultureInfo.InvariantCulture);
        using var client = Client(o["key"], connections);

        // Warm up: connections, JIT, the node's near-cache.
        for (var i = 0; i < 2000; i++)
        {
            (await client.GetAsync(url)).Dispose();
        }

        var total = (int)(rate * seconds);
        var latencies = new double[total];
        var errors = 0;
        var interval = Stopwatch.Frequency / rate;
        var start = Stopwatch.GetTimestamp();

        // One worker per connection, each taking every C-th slot of one fixed schedule. A worker that is idle
        // waits for its slot and times the request from when it sent it (so timer overshoot is not counted); a
        // worker still busy when its slot came times the request from the slot (so a slow answer is charged for
        // the requests it held up: no coordinated omission).
        var tasks = Enumerable.Range(0, connections).Select(worker => Task.Run(async () =>
        {
            for (var i = worker; i < total; i += connections)
            {
                var scheduled = start + (long)(i * interval);
                var wait = scheduled - Stopwatch.GetTimestamp();
                if (wait > 0)
                {
                    await Task.Delay(TimeSpan.FromSeconds((double)wait / Stopwatch.Frequency));
                }

                var sent = wait > 0 ? Stopwatch.GetTimestamp() : scheduled;
                try
                {
                    using var response = await client.GetAsync(url, HttpCompletionOption.ResponseContentRead);
                    if (response.StatusCode != HttpStatusCode.OK)
                    {
                        Interlocked.Increment(ref errors);
                    }
                }
                catch (HttpRequestException)
                {
                    Interlocked.Increment(ref errors);
                }

                latencies[i] = Stopwatch.GetElapsedTime(sent).TotalMilliseconds;
            }
        })).ToList();

        await Task.WhenAll(tasks);
        var elapsed = Stopwatch.GetElapsedTime(start).TotalSeconds;
        Array.Sort(latencies);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"latency {url} rate={rate}/s achieved={total / elapsed:F0}/s n={total} errors={errors} " +
            $"p50={P(latencies, 50):F3}ms p90={P(latencies, 90):F3}ms p99={P(latencies, 99):F3}ms p99.9={P(latencies, 99.9):F3}ms max={latencies[^1]:F3}ms"));
        return errors == 0 ? 0 : 1;
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
