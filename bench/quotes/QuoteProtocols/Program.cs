using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using Grpc.Core;
using Grpc.Net.Client;
using Stoa.Grpc.V1;

// quote-protocols reads|watch: see Usage. Both protocols are measured by this one process, on one node, in one run.
var options = Options.Parse(args);
return args.FirstOrDefault() switch
{
    "reads" => await Reads.RunAsync(options),
    "watch" => await Watch.RunAsync(options),
    _ => Options.Usage(),
};

internal sealed class Options(Dictionary<string, string> values)
{
    public string Http => values["http"];
    public string Grpc => values["grpc"];
    public string Key => values["key"];
    public string Token => values["token"];
    public string Symbol(string fallback) => values.GetValueOrDefault("symbol", fallback);
    public int Int(string name, int fallback) => values.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
    public IReadOnlyList<int> Ints(string name, string fallback) =>
        [.. values.GetValueOrDefault(name, fallback).Split(',').Select(v => int.Parse(v, CultureInfo.InvariantCulture))];
    public int? Pid => values.TryGetValue("pid", out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : null;

    public static Options Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 1; i + 1 < args.Length; i += 2)
        {
            values[args[i].TrimStart('-')] = args[i + 1];
        }

        return new Options(values);
    }

    public static int Usage()
    {
        Console.Error.WriteLine("""
            quote-protocols reads --http URL --grpc URL --key KEY [--seconds 10] [--concurrency 32] [--symbol AAPL] [--pid NODE_PID]
                closed loop: GET /v1/quotes/SYM over HTTP/1.1 and stoa.v1.Quotes/GetQuote over one HTTP/2 connection,
                REST, gRPC, gRPC, REST, each after a 3 s warm-up; prints throughput and p50/p99/p99.9 per protocol, and with --pid the
                node's CPU time per read (the cost on the node, whoever the bottleneck is).
            quote-protocols watch --http URL --grpc URL --key KEY --token SERVER_TOKEN [--watchers 100,1000,5000]
                                  [--puts 100] [--rate 10] [--symbol BENCH] [--pid NODE_PID]
                for each count: that many SSE streams (GET /v1/quotes/stream), then that many gRPC WatchQuotes calls,
                on one symbol; PUTs at a fixed rate (REST, server token, the same writer for both); prints how many
                connected, the share of puts each received, how many got the last put, and the put-to-receipt latency (p50/p99/max), with the
                node's resident memory when --pid is given.
            """);
        return 2;
    }
}

internal static class Stats
{
    public static string Latency(List<double> ms)
    {
        if (ms.Count == 0)
        {
            return "n/a";
        }

        ms.Sort();
        double At(double q) => ms[Math.Min(ms.Count - 1, (int)(q * ms.Count))];
        return string.Create(CultureInfo.InvariantCulture, $"p50 {At(0.5):F2} ms, p99 {At(0.99):F2} ms, p99.9 {At(0.999):F2} ms, max {ms[^1]:F2} ms");
    }

    public static double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;

    /// <summary>CPU time the node has used so far (user + system), in microseconds; 0 without --pid.</summary>
    public static long CpuMicros(int? pid)
    {
        if (pid is not { } id)
        {
            return 0;
        }

        // Fields 14 and 15 of /proc/PID/stat, counted after the command name, which may hold spaces.
        var stat = File.ReadAllText($"/proc/{id}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) * 10_000;
    }

    public static string CpuPer(int? pid, long micros, long count, string unit) =>
        pid is null || count == 0 ? "" : string.Create(CultureInfo.InvariantCulture, $", node CPU {micros / (double)count:F1} µs per {unit}");

    public static string Rss(int? pid)
    {
        if (pid is not { } id)
        {
            return "";
        }

        var line = File.ReadLines($"/proc/{id}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return line is null ? "" : $", node RSS {long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024} MB";
    }
}

internal static class Clients
{
    public static HttpClient Rest(string baseUrl, string key, string? token = null)
    {
        var client = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = int.MaxValue,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            UseProxy = false,
        })
        {
            BaseAddress = new Uri(baseUrl),
            Timeout = Timeout.InfiniteTimeSpan,
        };
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    /// <summary>gRPC as a backend would use it: one channel, HTTP/2 connections added when one holds its 100 streams.</summary>
    public static GrpcChannel Grpc(string address) => GrpcChannel.ForAddress(address, new GrpcChannelOptions
    {
        HttpHandler = new SocketsHttpHandler
        {
            EnableMultipleHttp2Connections = true,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            UseProxy = false,
        },
    });
}

internal static class Reads
{
    public static async Task<int> RunAsync(Options options)
    {
        var seconds = options.Int("seconds", 10);
        var concurrency = options.Int("concurrency", 32);
        var symbol = options.Symbol("AAPL");
        using var http = Clients.Rest(options.Http, options.Key);
        using var channel = Clients.Grpc(options.Grpc);
        var quotes = new Quotes.QuotesClient(channel);
        var key = new Metadata { { "x-api-key", options.Key } };
        var request = new GetQuoteRequest { Symbol = symbol };
        Func<Task> restRead = async () =>
        {
            using var response = await http.GetAsync($"/v1/quotes/{symbol}", HttpCompletionOption.ResponseContentRead);
            response.EnsureSuccessStatusCode();
        };
        Func<Task> grpcRead = async () => await quotes.GetQuoteAsync(request, key);

        Console.WriteLine($"# reads: {concurrency} callers, {seconds} s each after a 3 s warm-up, symbol {symbol}");
        // Twice, in both orders, so that neither protocol always runs on the warmer (or the busier) node.
        var rest = ("REST GET (HTTP/1.1)", restRead);
        var grpc = ("gRPC GetQuote (HTTP/2)", grpcRead);
        foreach (var (name, read) in new[] { rest, grpc, grpc, rest })
        {
            await LoopAsync(read, concurrency, TimeSpan.FromSeconds(3));
            var cpu = Stats.CpuMicros(options.Pid);
            var (count, errors, latencies) = await LoopAsync(read, concurrency, TimeSpan.FromSeconds(seconds));
            cpu = Stats.CpuMicros(options.Pid) - cpu;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{name}: {count / (double)seconds:F0} req/s, {Stats.Latency(latencies)}, {errors} errors{Stats.CpuPer(options.Pid, cpu, count, "read")}"));
        }

        return 0;
    }

    private static async Task<(long Count, long Errors, List<double> Latencies)> LoopAsync(Func<Task> read, int concurrency, TimeSpan duration)
    {
        var end = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        long errors = 0;
        var workers = Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            var latencies = new List<double>(100_000);
            while (Stopwatch.GetTimestamp() < end)
            {
                var start = Stopwatch.GetTimestamp();
                try
                {
                    await read();
                    latencies.Add(Stats.Ms(Stopwatch.GetTimestamp() - start));
                }
                catch (Exception ex) when (ex is HttpRequestException or RpcException)
                {
                    Interlocked.Increment(ref errors);
                }
            }

            return latencies;
        })).ToList();
        var all = (await Task.WhenAll(workers)).SelectMany(l => l).ToList();
        return (all.Count, errors, all);
    }
}

internal static class Watch
{
    public static async Task<int> RunAsync(Options options)
    {
        var puts = options.Int("puts", 100);
        var rate = options.Int("rate", 10);
        var symbol = options.Symbol("BENCH");
        using var writer = Clients.Rest(options.Http, options.Key, options.Token);
        var seq = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1000;
        await PutAsync(writer, symbol, ++seq);
        Console.WriteLine($"# watch: {puts} puts at {rate}/s on {symbol} (REST PUT, server token), each count SSE then gRPC");
        foreach (var watchers in options.Ints("watchers", "100,1000,5000"))
        {
            foreach (var protocol in new[] { "SSE", "gRPC" })
            {
                seq = await RoundAsync(options, protocol, watchers, puts, rate, symbol, writer, seq);
            }
        }

        return 0;
    }

    private static async Task<long> RoundAsync(Options options, string protocol, int watchers, int puts, int rate, string symbol,
        HttpClient writer, long seq)
    {
        var sent = new System.Collections.Concurrent.ConcurrentDictionary<long, long>();
        var latencies = new List<double>[watchers];
        var newest = new long[watchers];
        var connected = 0;
        using var stop = new CancellationTokenSource();
        using var rest = Clients.Rest(options.Http, options.Key);
        using var channel = Clients.Grpc(options.Grpc);
        var quotes = new Quotes.QuotesClient(channel);
        var key = new Metadata { { "x-api-key", options.Key } };

        void Received(int watcher, long receivedSeq, long at)
        {
            newest[watcher] = Math.Max(newest[watcher], receivedSeq);
            if (sent.TryGetValue(receivedSeq, out var sentAt))
            {
                latencies[watcher].Add(Stats.Ms(at - sentAt));
            }
        }

        var streams = Enumerable.Range(0, watchers).Select(i => Task.Run(async () =>
        {
            latencies[i] = new List<double>(puts);
            var first = true;
            try
            {
                if (protocol == "SSE")
                {
                    using var response = await rest.GetAsync($"/v1/quotes/stream?symbols={symbol}", HttpCompletionOption.ResponseHeadersRead, stop.Token);
                    using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(stop.Token));
                    while (await reader.ReadLineAsync(stop.Token) is { } line)
                    {
                        if (line.StartsWith("data: ", StringComparison.Ordinal))
                        {
                            var at = Stopwatch.GetTimestamp();
                            if (first)
                            {
                                first = false;
                                Interlocked.Increment(ref connected);
                            }

                            Received(i, SeqOf(line), at);
                        }
                    }
                }
                else
                {
                    using var call = quotes.WatchQuotes(new WatchQuotesRequest { Symbols = { symbol } }, key, cancellationToken: stop.Token);
                    while (await call.ResponseStream.MoveNext(stop.Token))
                    {
                        var at = Stopwatch.GetTimestamp();
                        if (first)
                        {
                            first = false;
                            Interlocked.Increment(ref connected);
                        }

                        Received(i, call.ResponseStream.Current.Seq, at);
                    }
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or HttpRequestException or RpcException or IOException)
            {
            }
        })).ToList();

        // Every stream gets the current quote first: that is when it counts as connected.
        var connectBy = Stopwatch.GetTimestamp() + 120 * Stopwatch.Frequency;
        while (Volatile.Read(ref connected) < watchers && Stopwatch.GetTimestamp() < connectBy)
        {
            await Task.Delay(100);
        }

        var rss = Stats.Rss(options.Pid);
        var cpu = Stats.CpuMicros(options.Pid);
        var interval = Stopwatch.Frequency / rate;
        var start = Stopwatch.GetTimestamp();
        for (var k = 0; k < puts; k++)
        {
            var due = start + (k * interval);
            while (Stopwatch.GetTimestamp() < due)
            {
                await Task.Delay(1);
            }

            seq++;
            sent[seq] = Stopwatch.GetTimestamp();
            await PutAsync(writer, symbol, seq);
        }

        // A PUT waits for the one before it: on a saturated node the puts fall behind the rate, and this says so.
        var putSeconds = Stats.Ms(Stopwatch.GetTimestamp() - start) / 1000;
        await Task.Delay(TimeSpan.FromSeconds(3));
        cpu = Stats.CpuMicros(options.Pid) - cpu;
        await stop.CancelAsync();
        await Task.WhenAll(streams);
        var all = latencies.Where(l => l is not null).SelectMany(l => l).ToList();
        var expected = (double)puts * Math.Max(1, connected);

        // A watcher may skip a tick it fell behind on (the stream keeps the latest value), never the last one.
        var gotLast = newest.Count(n => n == seq);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{protocol} watchers {watchers}: {connected} connected, puts took {putSeconds:F1} s, {100 * all.Count / expected:F1} % of puts received, last put received by {gotLast}, {Stats.Latency(all)}{Stats.CpuPer(options.Pid, cpu, all.Count, "delivery")}{rss}"));
        return seq;
    }

    private static async Task PutAsync(HttpClient writer, string symbol, long seq)
    {
        using var content = JsonContent(string.Create(CultureInfo.InvariantCulture, $$"""{"price":{{100 + (seq % 1000) / 100.0}},"seq":{{seq}}}"""));
        using var response = await writer.PutAsync($"/v1/quotes/{symbol}", content);
        response.EnsureSuccessStatusCode();
    }

    private static StringContent JsonContent(string json) => new(json, System.Text.Encoding.UTF8, "application/json");

    /// <summary>The seq of an SSE quote event's JSON line, without a parse per event (5,000 streams × 100 events).</summary>
    private static long SeqOf(string line)
    {
        var at = line.IndexOf("\"seq\":", StringComparison.Ordinal);
        if (at < 0)
        {
            return -1;
        }

        at += 6;
        var end = at;
        while (end < line.Length && char.IsAsciiDigit(line[end]))
        {
            end++;
        }

        return long.Parse(line.AsSpan(at, end - at), CultureInfo.InvariantCulture);
    }
}
